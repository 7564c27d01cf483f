import { recordAudit } from "../audit/record";
import { db } from "../db";
import { notFound } from "../errors";
import type { ApiTokenInfo } from "../schemas/auth";
import { hashToken, newSecretToken } from "./secret-token";
import type { SessionUser } from "./sessions";

const toInfo = (row: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }): ApiTokenInfo => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

/** Returns the token once; afterwards only its hash exists. */
export async function createApiToken(userId: string, name: string): Promise<ApiTokenInfo & { token: string }> {
  const { token, tokenHash } = newSecretToken("gkt");
  const row = await db().apiToken.create({ data: { name, tokenHash, userId } });
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
    include: { user: { select: { id: true, email: true } } },
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
  return row.user;
}
