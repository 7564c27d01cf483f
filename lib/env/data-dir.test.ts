import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { secretKey } from "../certs/secret-key-file";
import { closeDb, db } from "../db";
import { ensureDataDir } from "./data-dir";

const made: string[] = [];
afterEach(async () => {
  await closeDb();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory that already exists, readable by everyone, as `mkdir` under umask 022 leaves it. */
function openDataDir(): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), "gk-datadir-"));
  made.push(parent);
  const dir = path.join(parent, "data");
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  return dir;
}

const modeOf = (dir: string) => statSync(dir).mode & 0o777;

describe("the data directory", () => {
  it("is made owner-only when the database opens in one that existed as 0755", async () => {
    const dir = openDataDir();
    process.env.DATA_DIR = dir;
    await db().$queryRawUnsafe("SELECT 1");
    expect(modeOf(dir)).toBe(0o700);
  });

  it("is made owner-only when the encryption key is created in one that existed as 0755", () => {
    const dir = openDataDir();
    secretKey(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, "secret.key"))).toBe(0o600);
  });

  it("is created owner-only when missing, parents included", () => {
    const dir = path.join(openDataDir(), "nested", "data");
    ensureDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });
});
