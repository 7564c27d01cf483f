"use server";

import { redirect } from "next/navigation";
import { completeSetup, setupCodeMatches, WRONG_SETUP_CODE } from "@/lib/auth/setup-code";
import { hasUsers } from "@/lib/auth/users";
import { zodDetails } from "@/lib/errors";
import { setupSchema } from "@/lib/schemas/auth";
import { failure, fieldErrorsFrom, stateFromError, text, type FormState } from "@/app/_lib/form-state";
import { setSessionCookie } from "@/app/_lib/session";

const FIELDS = ["code", "email", "password", "confirmPassword"] as const;

export async function setupAction(_previous: FormState, formData: FormData): Promise<FormState> {
  if (await hasUsers()) redirect("/login");
  const input = { code: text(formData, "code"), email: text(formData, "email"), password: text(formData, "password") };
  const confirmPassword = text(formData, "confirmPassword");

  // Show every problem at once: the shared schema's, a wrong code, and the confirmation only this form has.
  const parsed = setupSchema.safeParse(input);
  const details = parsed.success ? {} : zodDetails(parsed.error);
  const { fieldErrors } = fieldErrorsFrom(details, FIELDS);
  if (!fieldErrors.code && !(await setupCodeMatches(input.code))) fieldErrors.code = [WRONG_SETUP_CODE];
  if (confirmPassword !== input.password) {
    fieldErrors.confirmPassword = ["The two passwords are not the same"];
  }
  if (Object.keys(fieldErrors).length > 0) {
    return failure("Some fields need attention: see the fields marked in red.", fieldErrors);
  }

  let session: { token: string; expiresAt: Date };
  try {
    session = await completeSetup(input);
  } catch (error) {
    return stateFromError(error, FIELDS);
  }
  await setSessionCookie(session.token, session.expiresAt);
  redirect("/");
}
