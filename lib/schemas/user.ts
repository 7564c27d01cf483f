import { z } from "zod";
import { ROLES, type Role } from "../auth/roles";
import { emailSchema, passwordSchema } from "./auth";

const roleSchema = z.enum(ROLES, { error: `Choose one of: ${ROLES.join(", ")}` });

/** An invitation: who, and what they may do. The link is the invitation: no e-mail is sent. */
export const userInviteSchema = z.object({ email: emailSchema, role: roleSchema }).strict();
/** A change of role, or an admin turning off someone's two-factor sign-in (a lost phone): never on. */
export const userPatchSchema = z
  .object({
    role: roleSchema.optional(),
    totpEnabled: z
      .literal(false, {
        error: "Only false is accepted: an admin can turn two-factor sign-in off; only the user can turn it on, on their account page",
      })
      .optional(),
  })
  .strict()
  .refine((patch) => patch.role !== undefined || patch.totpEnabled !== undefined, {
    error: "Send a role, or totpEnabled: false",
    path: ["role"],
  });
export const inviteAcceptSchema = z.object({ password: passwordSchema }).strict();

/** What the API and the dashboard see of a user: never a password or an invite token. */
export interface User {
  id: string;
  email: string;
  role: Role;
  totpEnabled: boolean;
  lastSignInAt: string | null;
  /** Invited, and the link not used yet. */
  invited: boolean;
}
