"use server";

import { redirect } from "next/navigation";
import { completeSignIn, logIn } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { failure, stateFromError, text, type FormState } from "@/app/_lib/form-state";
import { clearPendingSignInCookie, clientIp, pendingSignInToken, setPendingSignInCookie, setSessionCookie } from "@/app/_lib/session";

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  let next: string;
  try {
    const step = await logIn({ email: text(formData, "email"), password: text(formData, "password") }, await clientIp());
    if (step.codeNeeded) {
      await setPendingSignInCookie(step.pendingToken, step.expiresAt);
    } else {
      await clearPendingSignInCookie();
      await setSessionCookie(step.token, step.expiresAt);
    }
    next = step.codeNeeded ? "/login/code" : "/";
  } catch (error) {
    return failed(error, ["email", "password"]);
  }
  redirect(next);
}

/** The second step: a code from the authenticator app, or a recovery code. */
export async function loginCodeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  try {
    const session = await completeSignIn(await pendingSignInToken(), text(formData, "code"), await clientIp());
    await clearPendingSignInCookie();
    await setSessionCookie(session.token, session.expiresAt);
  } catch (error) {
    return failed(error, ["code"]);
  }
  redirect("/");
}

function failed(error: unknown, fields: string[]): FormState {
  if (error instanceof AppError && error.code === "rate_limited") {
    return { ...failure(error.message), retryAfterSeconds: Number(error.details.retryAfter) };
  }
  return stateFromError(error, fields);
}
