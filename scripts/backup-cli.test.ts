import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { createSite, listSites } from "@/lib/services/sites";
import { useTempDatabase } from "@/test-support/database";

/** `npm run backup` and `npm run restore`, as an administrator runs them, into another, empty install. */
const root = path.resolve(import.meta.dirname, "..");
const PASSPHRASE = "a passphrase for the command line";
let scratch: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "gk-backup-cli-"));
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
});
afterAll(async () => {
  await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function run(script: string, args: string[], dataDir: string, passphrase = PASSPHRASE) {
  return spawnSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", script), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, GATEKEEPER_BACKUP_PASSPHRASE: passphrase, PROXY_CONTROL_PORT: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("npm run backup / npm run restore", () => {
  it("saves a backup file only its owner reads, previews and restores it into an empty install", { timeout: 120_000 }, async () => {
    await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] });
    const out = path.join(scratch, "site.gkbackup");
    const saved = run("backup.ts", ["--out", out], process.env.DATA_DIR!);
    expect(saved.status, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^Saved the backup to .*site\.gkbackup/);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const empty = path.join(scratch, "empty-install");
    const wrong = run("restore.ts", [out], empty, "not the passphrase at all");
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim()).toBe("The passphrase does not open this backup (or the file was changed after it was made)");

    const preview = run("restore.ts", [out, "--dry-run"], empty);
    expect(preview.status, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/The restore would change:\n {2}sites added: Blog\n/);

    const restored = run("restore.ts", [out], empty);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Restored\. The state before is saved in .*before-restore-.*\.gkbackup/);
    await closeDb();
    process.env.DATA_DIR = empty;
    expect((await listSites()).map((site) => site.name)).toEqual(["Blog"]);
  });
});
