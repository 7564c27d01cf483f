import { z } from "zod";

/** A code from the authenticator app, as people type it ("123 456" too). */
export const totpCodeSchema = z
  .string()
  .transform((code) => code.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app"));

/** The second step of a sign-in: an app's code or one of the recovery codes. */
export const secondFactorSchema = z
  .string()
  .trim()
  .min(1, "Enter the 6-digit code from your authenticator app, or a recovery code")
  .max(64, "That is longer than any code: enter the 6-digit code from your authenticator app, or a recovery code");

export const currentPasswordSchema = z.string().min(1, "Enter your current password");
