import { db } from "../db";
import { hashToken, newSecretToken } from "./secret-token";

/**
 * A sign-in whose password was right, waiting for its second step. The browser holds the token
 * (an httpOnly cookie); only its SHA-256 is stored, and it works once, for five minutes.
 */
export const PENDING_SIGN_IN_COOKIE = "gk_pending_sign_in";
export const PENDING_SIGN_IN_TTL_MS = 5 * 60 * 1000;

export async function beginPendingSignIn(userId: string, now = new Date()): Promise<{ pendingToken: string; expiresAt: Date }> {
  const { token, tokenHash } = newSecretToken("gkp");
  const expiresAt = new Date(now.getTime() + PENDING_SIGN_IN_TTL_MS);
  // Expired ones of anyone go with each new one, so the table stays small without a timer.
  await db().pendingSignIn.deleteMany({ where: { expiresAt: { lte: now } } });
  await db().pendingSignIn.create({ data: { tokenHash, userId, expiresAt } });
  return { pendingToken: token, expiresAt };
}

/** The pending sign-in of this token while it works, with the email it is for. */
export async function pendingSignIn(token: string | undefined, now = new Date()): Promise<{ id: string; userId: string; email: string } | null> {
  if (!token) return null;
  const row = await db().pendingSignIn.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { email: true } } } });
  if (!row || row.expiresAt <= now) return null;
  return { id: row.id, userId: row.userId, email: row.user.email };
}

/** Uses the pending sign-in up; false when another request did so first. */
export async function finishPendingSignIn(id: string): Promise<boolean> {
  const { count } = await db().pendingSignIn.deleteMany({ where: { id } });
  return count === 1;
}
