import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "../env/paths";

export const SECRET_KEY_FILE = "secret.key";
const KEY_BYTES = 32;

// Keyed by directory so tests (and a changed DATA_DIR) never see another directory's key.
const cache = new Map<string, Buffer>();

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}

function decode(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `${file} is not a valid at-rest encryption key (expected ${KEY_BYTES} bytes in base64). ` +
        `Restore it from a backup: without it the stored private keys cannot be decrypted.`,
    );
  }
  return key;
}

function readOrCreate(file: string): Buffer {
  try {
    return decode(readFileSync(file, "utf8"), file);
  } catch (error) {
    if (!isErrno(error, "ENOENT")) throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fresh = randomBytes(KEY_BYTES);
  try {
    // "wx": when two processes start together, the second one reads the first one's key
    // instead of overwriting it and orphaning whatever the first already sealed.
    writeFileSync(file, fresh.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if (isErrno(error, "EEXIST")) return decode(readFileSync(file, "utf8"), file);
    throw error;
  }
  // The mode given to writeFileSync is filtered through the umask; make sure it is exactly 0600.
  chmodSync(file, 0o600);
  return fresh;
}

/** The 32-byte AES key from `<dir>/secret.key`, created on first use and then read from memory. */
export function secretKey(dir: string = dataDir()): Buffer {
  const file = path.join(path.resolve(dir), SECRET_KEY_FILE);
  let key = cache.get(file);
  if (!key) {
    key = readOrCreate(file);
    cache.set(file, key);
  }
  return key;
}
