import { db } from "../db";
import { roleOf, type Role } from "./roles";
import { hashToken, newSecretToken } from "./secret-token";

export const SESSION_COOKIE = "gk_session";
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

export async function createSession(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const { token, tokenHash } = newSecretToken("gks");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db().session.create({ data: { tokenHash, userId, expiresAt } });
  return { token, expiresAt };
}

export async function userForSession(token: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await db().session.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, role: true } } },
  });
  if (!session) return null;
  if (session.expiresAt <= now) {
    await db().session.deleteMany({ where: { id: session.id } });
    return null;
  }
  return { ...session.user, role: roleOf(session.user.role) };
}

export async function endSession(token: string | undefined): Promise<void> {
  if (!token) return;
  await db().session.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** "Sign out everywhere": every session of the user ends. */
export async function endAllSessions(userId: string): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { userId } });
  return count;
}
