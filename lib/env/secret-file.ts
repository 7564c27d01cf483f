import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDataDir } from "./data-dir";

/**
 * The text of a secret file in the data directory, created with `create()` when there is none.
 * The new secret is written to a private temporary file (0600) and hard-linked into place: the
 * link either appears whole or fails because the other process's file is already there. So the
 * dashboard and the proxy, starting at the same moment, never read half a file and always end
 * up with the same secret.
 */
export function readOrCreateSecretFile(file: string, create: () => string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (!isErrno(error, "ENOENT")) throw error;
  }
  ensureDataDir(path.dirname(file));
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, create(), { mode: 0o600, flag: "wx" });
    // The mode given to writeFileSync is filtered through the umask; make it exactly 0600.
    chmodSync(temporary, 0o600);
    linkSync(temporary, file);
  } catch (error) {
    if (!isErrno(error, "EEXIST")) throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return readFileSync(file, "utf8");
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
