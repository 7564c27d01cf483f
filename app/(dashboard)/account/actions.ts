"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { endAllSessions } from "@/lib/auth/sessions";
import { beginTwoFactor, confirmTwoFactor, disableTwoFactor, regenerateRecoveryCodes } from "@/lib/auth/two-factor";
import { stateFromError, success, text } from "@/app/_lib/form-state";
import { clearSessionCookie, requireUser } from "@/app/_lib/session";
import type { TwoFactorState } from "./form-state";

/** Everyone manages their own two-factor sign-in, whatever their role. */
export async function beginTwoFactorAction(_previous: TwoFactorState, _formData: FormData): Promise<TwoFactorState> {
  const user = await requireUser();
  try {
    const { secret, qrSvg } = await beginTwoFactor(user.id);
    return { ...success(), enrolment: { secret, qrSvg } };
  } catch (error) {
    return stateFromError(error, []);
  }
}

export async function confirmTwoFactorAction(previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const user = await requireUser();
  try {
    const recoveryCodes = await confirmTwoFactor(user.id, text(formData, "code"));
    revalidatePath("/account");
    return { ...success("Two-factor sign-in is on."), recoveryCodes };
  } catch (error) {
    // The secret stays on the page, so a mistyped code can be tried again.
    return { ...stateFromError(error, ["code"]), enrolment: previous.enrolment };
  }
}

export async function disableTwoFactorAction(_previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const user = await requireUser();
  try {
    await disableTwoFactor(user.id, text(formData, "password"));
  } catch (error) {
    return stateFromError(error, ["password"]);
  }
  revalidatePath("/account");
  return success("Two-factor sign-in is off.");
}

export async function regenerateRecoveryCodesAction(_previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const user = await requireUser();
  try {
    const recoveryCodes = await regenerateRecoveryCodes(user.id, text(formData, "code"));
    revalidatePath("/account");
    return { ...success("New recovery codes: the old ones no longer work."), recoveryCodes };
  } catch (error) {
    return stateFromError(error, ["code"]);
  }
}

/** Ends every session of this user (other browsers, a lost laptop), this one too. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireUser();
  await endAllSessions(user.id);
  await clearSessionCookie();
  redirect("/login");
}
