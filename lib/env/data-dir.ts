import { chmodSync, mkdirSync, statSync } from "node:fs";
import { dataDir } from "./paths";

const OWNER_ONLY = 0o700;

/**
 * Creates the data directory, or tightens the one that is there, to owner-only (0700): it holds
 * the database, the at-rest encryption key and the control-port secret. mkdir's mode only applies
 * to a directory it creates, so one made earlier (by hand, by a container, by an older version)
 * would otherwise keep whatever it had.
 */
export function ensureDataDir(dir: string = dataDir()): string {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY });
  if ((statSync(dir).mode & 0o777) === OWNER_ONLY) return dir;
  try {
    chmodSync(dir, OWNER_ONLY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new Error(
      `The data directory ${dir} must be readable by its owner only, and it could not be changed to 0700 (${code}). Run: chmod 700 ${dir}`,
    );
  }
  return dir;
}
