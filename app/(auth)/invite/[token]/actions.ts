"use server";

import { redirect } from "next/navigation";
import { createSession } from "@/lib/auth/sessions";
import { acceptInvite } from "@/lib/services/users";
import { failure, stateFromError, text, type FormState } from "@/app/_lib/form-state";
import { setSessionCookie } from "@/app/_lib/session";

const FIELDS = ["password", "confirmPassword"] as const;

/** Sets the invited user's password, signs them in, and opens the dashboard. */
export async function acceptInviteAction(token: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const password = text(formData, "password");
  if (text(formData, "confirmPassword") !== password) {
    return failure("Some fields need attention: see the fields marked in red.", { confirmPassword: ["The two passwords are not the same"] });
  }
  let session: { token: string; expiresAt: Date };
  try {
    const user = await acceptInvite(token, { password });
    session = await createSession(user.id);
  } catch (error) {
    return stateFromError(error, FIELDS);
  }
  await setSessionCookie(session.token, session.expiresAt);
  redirect("/");
}
