"use server";

import { redirect } from "next/navigation";
import { endSession } from "@/lib/auth/sessions";
import { clearSessionCookie, requireUser, sessionToken } from "../_lib/session";

export async function logoutAction(): Promise<void> {
  await requireUser();
  await endSession(await sessionToken());
  await clearSessionCookie();
  redirect("/login");
}
