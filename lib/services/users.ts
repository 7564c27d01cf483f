import { db } from "../db";
import { AppError, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record";
import { hashPassword } from "../auth/password";
import { type Role, roleOf } from "../auth/roles";
import { hashToken, newSecretToken } from "../auth/secret-token";
import { clearTwoFactor } from "../auth/two-factor";
import type { SessionUser } from "../auth/sessions";
import { inviteAcceptSchema, type User, userInviteSchema, userPatchSchema } from "../schemas/user";

/** How long an invite link works. */
const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type Row = {
  id: string;
  email: string;
  role: string;
  passwordHash: string;
  inviteHash: string | null;
  lastSignInAt: Date | null;
  totpEnabled: boolean;
};

const toUser = (row: Row): User => ({
  id: row.id,
  email: row.email,
  role: roleOf(row.role),
  totpEnabled: row.totpEnabled,
  lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  invited: row.inviteHash !== null,
});

export async function listUsers(): Promise<User[]> {
  return (await db().user.findMany({ orderBy: { createdAt: "asc" } })).map(toUser);
}

async function getUser(id: string): Promise<User> {
  const row = await db().user.findUnique({ where: { id } });
  if (!row) throw notFound("User");
  return toUser(row);
}

/** A new user with a one-time link (shown once) to set their password; nothing is e-mailed. */
export async function inviteUser(input: unknown, now = new Date()): Promise<{ user: User; inviteToken: string }> {
  const parsed = userInviteSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { token, tokenHash } = newSecretToken("gki");
  if (await db().user.findUnique({ where: { email: parsed.data.email }, select: { id: true } })) {
    throw new AppError("validation_failed", "Some fields need attention", { email: "There is already a user with this email" });
  }
  const row = await db().user.create({
    data: { ...parsed.data, passwordHash: "", inviteHash: tokenHash, inviteExpiresAt: new Date(now.getTime() + INVITE_TTL_MS) },
  });
  const user = toUser(row);
  await recordAudit({ action: "create", objectType: "user", objectId: user.id, after: user });
  return { user, inviteToken: token };
}

/** Who an invite link is for, while it works (for the page that accepts it). */
export async function invitation(token: string, now = new Date()): Promise<{ email: string; role: Role } | null> {
  const row = await db().user.findUnique({ where: { inviteHash: hashToken(token) }, select: { email: true, role: true, inviteExpiresAt: true } });
  if (!row?.inviteExpiresAt || row.inviteExpiresAt <= now) return null;
  return { email: row.email, role: roleOf(row.role) };
}

/** The invited person sets a password through the link; the link then no longer works. */
export async function acceptInvite(token: string, input: unknown, now = new Date()): Promise<SessionUser> {
  const parsed = inviteAcceptSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const row = await db().user.findUnique({ where: { inviteHash: hashToken(token) } });
  if (!row || !row.inviteExpiresAt || row.inviteExpiresAt <= now) {
    throw new AppError("not_found", "This invite link is not valid: it was used already, or expired. Ask an admin for a new one");
  }
  const passwordHash = await hashPassword(parsed.data.password);
  await db().user.update({ where: { id: row.id }, data: { passwordHash, inviteHash: null, inviteExpiresAt: null, lastSignInAt: now } });
  await recordAudit({ action: "update", objectType: "user", objectId: row.id, before: toUser(row), after: await getUser(row.id), actor: row.email });
  return { id: row.id, email: row.email, role: roleOf(row.role) };
}

/**
 * A change of role (the last admin keeps theirs, so someone can always manage the rest), or
 * turning off a user's two-factor sign-in when they lost their authenticator app.
 */
export async function updateUser(id: string, patch: unknown): Promise<User> {
  const parsed = userPatchSchema.safeParse(patch);
  if (!parsed.success) throw validationError(parsed.error);
  const before = await getUser(id);
  await db().$transaction(async (tx) => {
    const { role, totpEnabled } = parsed.data;
    if (role !== undefined && before.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new AppError("conflict", "This is the last admin: make someone else an admin first");
    }
    if (role !== undefined) await tx.user.update({ where: { id }, data: { role } });
    if (totpEnabled === false) await clearTwoFactor(tx, id);
  });
  const after = await getUser(id);
  await recordAudit({ action: "update", objectType: "user", objectId: id, before, after });
  if (before.totpEnabled && !after.totpEnabled) await recordAudit({ action: "two-factor-disabled", objectType: "user", objectId: id });
  return after;
}

/** Removes a user with their sessions and tokens; not oneself, and not the last admin. */
export async function deleteUser(id: string, by: SessionUser): Promise<void> {
  if (id === by.id) throw new AppError("conflict", "You cannot remove yourself: ask another admin");
  const before = await getUser(id);
  await db().$transaction(async (tx) => {
    if (before.role === "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new AppError("conflict", "This is the last admin: make someone else an admin first");
    }
    await tx.user.delete({ where: { id } });
  });
  await recordAudit({ action: "delete", objectType: "user", objectId: id, before });
}
