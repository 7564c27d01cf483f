import { timingSafeEqual } from "node:crypto";
import { hashToken } from "../auth/secret-token";
import { metricsTokenHash } from "../services/settings";

export type MetricsAccess = "disabled" | "denied" | "granted";

/**
 * Who may read /metrics: nobody while it is off, otherwise only a request with the metrics token
 * as `Authorization: Bearer <token>`. API tokens and sessions are not looked at: the metrics token
 * is a read-only credential a scraper keeps in a config file, and it opens nothing else.
 */
export async function metricsAccess(authorization: string | null): Promise<MetricsAccess> {
  const stored = await metricsTokenHash();
  if (stored === null) return "disabled";
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!bearer) return "denied";
  // Hashes of equal length, compared in constant time: the answer time says nothing about the token.
  const given = Buffer.from(hashToken(bearer));
  const expected = Buffer.from(stored);
  return given.length === expected.length && timingSafeEqual(given, expected) ? "granted" : "denied";
}
