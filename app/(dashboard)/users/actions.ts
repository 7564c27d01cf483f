"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { deleteUser, inviteUser, updateUser } from "@/lib/services/users";
import { type FormState, stateFromError, success, text } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import type { InviteFormState } from "./form-state";

/** The dashboard's address as the browser reached it, so the link opens where the admin is. */
async function dashboardOrigin(): Promise<string> {
  const incoming = await headers();
  const origin = incoming.get("origin");
  if (origin) return origin;
  const proto = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost"}`;
}

export async function inviteAction(previous: InviteFormState, formData: FormData): Promise<InviteFormState> {
  await requireRole("admin");
  try {
    const { user, inviteToken } = await inviteUser({ email: text(formData, "email"), role: text(formData, "role") });
    revalidatePath("/users");
    const inviteUrl = new URL(`/invite/${inviteToken}`, await dashboardOrigin()).toString();
    return { ...success(`${user.email} is invited.`), inviteUrl, email: user.email };
  } catch (error) {
    return { ...stateFromError(error, ["email", "role"]), nonce: previous.nonce };
  }
}

export async function changeRoleAction(userId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("admin");
  try {
    const user = await updateUser(userId, { role: text(formData, "role") });
    revalidatePath("/users");
    return success(`${user.email} is now ${user.role === "admin" ? "an" : "a"} ${user.role}.`);
  } catch (error) {
    return stateFromError(error, []);
  }
}

/** For someone who lost their phone and their recovery codes: they sign in with the password alone and can enrol again. */
export async function turnOffTwoFactorAction(userId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("admin");
  try {
    const user = await updateUser(userId, { totpEnabled: false });
    revalidatePath("/users");
    return success(`Two-factor sign-in is off for ${user.email}.`);
  } catch (error) {
    return stateFromError(error, []);
  }
}

export async function removeUserAction(userId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  const me = await requireRole("admin");
  try {
    await deleteUser(userId, me);
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/users");
  return success("Removed.");
}
