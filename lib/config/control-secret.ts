import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { dataDir } from "../env/paths";
import { readOrCreateSecretFile } from "../env/secret-file";

/**
 * The secret the dashboard sends with every request to the proxy's loopback control port: a
 * port on 127.0.0.1 is open to every local user and process, and it serves every site's access
 * log. It lives in the data directory (owner-only), made by whichever process needs it first.
 */
export const CONTROL_SECRET_FILE = "control.secret";
const SECRET_BYTES = 32;

// Keyed by file, so tests (and a changed DATA_DIR) never see another directory's secret.
const cache = new Map<string, string>();

export function controlSecret(dir: string = dataDir()): string {
  const file = path.join(path.resolve(dir), CONTROL_SECRET_FILE);
  let secret = cache.get(file);
  if (secret === undefined) {
    secret = readOrCreateSecretFile(file, () => randomBytes(SECRET_BYTES).toString("base64url") + "\n").trim();
    if (secret === "") throw new Error(`${file} is empty: delete it and restart both the dashboard and the proxy`);
    cache.set(file, secret);
  }
  return secret;
}

/** The header every control-port client sends. */
export function controlAuthorization(): { authorization: string } {
  return { authorization: `Bearer ${controlSecret()}` };
}

/** Whether an Authorization header carries the secret, compared in constant time. */
export function isControlAuthorized(header: string | undefined): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "";
  // Digests have one length, so timingSafeEqual never throws and the length is not revealed either.
  return timingSafeEqual(digest(presented), digest(controlSecret()));
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();
