"use server";

import { redirect } from "next/navigation";
import { logIn } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { failure, stateFromError, text, type FormState } from "@/app/_lib/form-state";
import { clientIp, setSessionCookie } from "@/app/_lib/session";

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  let session: { token: string; expiresAt: Date };
  try {
    session = await logIn({ email: text(formData, "email"), password: text(formData, "password") }, await clientIp());
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") {
      return { ...failure(error.message), retryAfterSeconds: Number(error.details.retryAfter) };
    }
    return stateFromError(error, ["email", "password"]);
  }
  await setSessionCookie(session.token, session.expiresAt);
  redirect("/");
}
