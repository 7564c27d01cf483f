import { randomBytes } from "node:crypto";
import path from "node:path";
import { dataDir } from "../env/paths";
import { readOrCreateSecretFile } from "../env/secret-file";

export const SECRET_KEY_FILE = "secret.key";
const KEY_BYTES = 32;

// Keyed by directory so tests (and a changed DATA_DIR) never see another directory's key.
const cache = new Map<string, Buffer>();

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

/** The 32-byte AES key from `<dir>/secret.key`, created on first use and then read from memory. */
export function secretKey(dir: string = dataDir()): Buffer {
  const file = path.join(path.resolve(dir), SECRET_KEY_FILE);
  let key = cache.get(file);
  if (!key) {
    // When two processes start together, both end up with the first one's key, so nothing one of
    // them sealed is orphaned.
    key = decode(
      readOrCreateSecretFile(file, () => randomBytes(KEY_BYTES).toString("base64") + "\n"),
      file,
    );
    cache.set(file, key);
  }
  return key;
}
