import { createHash, randomBytes } from "node:crypto";

/** A random bearer secret; only its SHA-256 is ever stored (sessions and API tokens alike). */
export function newSecretToken(prefix: string): { token: string; tokenHash: string } {
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
