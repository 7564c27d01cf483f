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

export async function userForApiToken(token: string, now = new Date()): Promise<SessionUser | null> {
  const row = await db().apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true } } },
  });
  if (!row) return null;
  await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return row.user;
}
