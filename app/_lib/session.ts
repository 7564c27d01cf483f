import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { SESSION_COOKIE, userForSession, type SessionUser } from "@/lib/auth/sessions";
import { hasUsers } from "@/lib/auth/users";
import { PENDING_SIGN_IN_COOKIE } from "@/lib/auth/pending-sign-in";
import { beginActing } from "@/lib/audit/actor";
import { atLeast, ROLE_WORDS, type Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

const signedInUser = cache(async (): Promise<SessionUser> => {
  const user = await currentUser();
  if (!user) redirect((await hasUsers()) ? "/login" : "/setup");
  return user;
});

/**
 * The signed-in user, for every page (except /setup and /login) and every server action. Without
 * a valid session it redirects: to /setup while no admin exists yet, to /login otherwise. The
 * lookup is cached per request, so a layout and its page share one.
 */
export async function requireUser(): Promise<SessionUser> {
  // Entered before the first await, so what the caller changes after it is recorded as this user's.
  const settle = beginActing();
  const user = await signedInUser();
  settle(user.email);
  return user;
}

/**
 * The signed-in user, who must have at least this role: for every server action that changes
 * something. The pages hide what a role may not do; this refuses it all the same.
 */
export async function requireRole(minimum: Role): Promise<SessionUser> {
  const user = await requireUser();
  if (!atLeast(user.role, minimum)) throw new AppError("forbidden", `This needs ${ROLE_WORDS[minimum]}; you are ${ROLE_WORDS[user.role]}`);
  return user;
}

/** The signed-in user or null, without redirecting (for /login and /setup). */
export async function currentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return userForSession(token);
}

export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** True when the browser reached us over https: directly, or through a proxy that says so. */
async function cameOverHttps(): Promise<boolean> {
  const incoming = await headers();
  const forwarded = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  // Server actions have no request URL; the browser's Origin (sent on every POST) carries the scheme.
  const origin = incoming.get("origin") ?? incoming.get("referer");
  return origin?.toLowerCase().startsWith("https:") ?? false;
}

/** HttpOnly, SameSite=Lax, Path=/, Secure when over https, and gone when the session ends. */
export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  const secure = await cameOverHttps();
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", secure, expires: expiresAt });
}

export async function clearSessionCookie(): Promise<void> {
  const secure = await cameOverHttps();
  (await cookies()).set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", secure, expires: new Date(0) });
}

/** The second step of a sign-in (see lib/auth/pending-sign-in.ts): only /login reads it. */
export async function setPendingSignInCookie(token: string, expiresAt: Date): Promise<void> {
  const secure = await cameOverHttps();
  (await cookies()).set(PENDING_SIGN_IN_COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/login", secure, expires: expiresAt });
}

export async function pendingSignInToken(): Promise<string | undefined> {
  return (await cookies()).get(PENDING_SIGN_IN_COOKIE)?.value;
}

export async function clearPendingSignInCookie(): Promise<void> {
  const secure = await cameOverHttps();
  (await cookies()).set(PENDING_SIGN_IN_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/login", secure, expires: new Date(0) });
}

/** The client address for sign-in throttling, as the dashboard server worked it out (see api/v1/_lib/client-ip.ts). */
export async function clientIp(): Promise<string> {
  const incoming = await headers();
  return incoming.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
