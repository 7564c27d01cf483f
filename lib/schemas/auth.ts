import { z } from "zod";
import { nameSchema } from "./text";
import { ROLES, type Role } from "../auth/roles";

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address"));

export const passwordSchema = z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters");

export const setupSchema = z.object({
  code: z.string().trim().min(1, "Enter the setup code from the log"),
  email: emailSchema,
  password: passwordSchema,
});

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password"),
});

/** For API clients: the second factor comes with the password (see checkCredentials). */
export const credentialsSchema = loginSchema.extend({
  totp: z.string().max(64, "That is longer than any code: use the 6-digit code from your authenticator app, or a recovery code").optional(),
});

export const tokenCreateSchema = z.object({
  name: nameSchema("Name the token"),
  role: z.enum(ROLES, { error: `Choose one of: ${ROLES.join(", ")}` }).optional(),
  email: z.string().optional(),
  password: z.string().optional(),
  /** With email + password, when the account has two-factor sign-in: an app's code or a recovery code. */
  totp: z.string().optional(),
});

export interface ApiTokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
}
