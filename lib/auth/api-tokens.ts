import { recordAudit } from "../audit/record";
import { db } from "../db";
import { AppError, notFound } from "../errors";
import { atLeast, lowerOf, ROLE_WORDS, type Role, roleOf } from "./roles";
import type { ApiTokenInfo } from "../schemas/auth";
import { hashToken, newSecretToken } from "./secret-token";
import type { SessionUser } from "./sessions";

const toInfo = (row: { id: string; name: string; role: string; createdAt: Date; lastUsedAt: Date | null }): ApiTokenInfo => ({
  id: row.id,
  name: row.name,
  role: roleOf(row.role),
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

/** Returns the token once; afterwards only its hash exists. Its role is at most its owner's (theirs when not given). */
export async function createApiToken(
  owner: Pick<SessionUser, "id" | "role">,
  name: string,
  role: Role = owner.role,
): Promise<ApiTokenInfo & { token: string }> {
  if (!atLeast(owner.role, role)) {
    throw new AppError("validation_failed", "Some fields need attention", {
      role: `A token's role can be at most yours: you are ${ROLE_WORDS[owner.role]}`,
    });
  }
  const { token, tokenHash } = newSecretToken("gkt");
  const row = await db().apiToken.create({ data: { name, tokenHash, userId: owner.id, role } });
  return { ...toInfo(row), token };
}

export async function listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
  const rows = await db().apiToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  return rows.map(toInfo);
}

export async function revokeApiToken(userId: string, id: string): Promise<void> {
  const { count } = await db().apiToken.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Token");
}

/** How often a token's use is written to the history. */
const TOKEN_USE_AUDIT_MS = 60 * 60 * 1000;

export async function userForApiToken(token: string, now = new Date()): Promise<SessionUser | null> {
  const row = await db().apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, role: true } } },
  });
  if (!row) return null;
  await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  // Once an hour per token is enough to see that, and from when, a token is in use.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOKEN_USE_AUDIT_MS) {
    await recordAudit({
      action: "token-used",
      objectType: "apiToken",
      objectId: row.id,
      actor: `${row.user.email} (API)`,
      after: { name: row.name },
    });
  }
  // The owner may have been given a lower role since: the token never does more than its owner.
  return { id: row.user.id, email: row.user.email, role: lowerOf(roleOf(row.role), roleOf(row.user.role)) };
}
