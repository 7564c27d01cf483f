import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { getBackupSchedule, runDueBackup, updateBackupSchedule } from "./backup-schedule";
import { restoreBackup } from "./backups";
import { createSite, listSites } from "./sites";

let cleanup: () => Promise<void>;
let dataDir: string;
beforeEach(async () => {
  ({ cleanup, dataDir } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
});
afterEach(() => cleanup());

const PASSPHRASE = "scheduled passphrase here";
const HOUR = 60 * 60 * 1000;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("scheduled backups", () => {
  it("are off until turned on with a passphrase, which is never shown or stored in the clear", async () => {
    expect(await getBackupSchedule()).toEqual({
      enabled: false,
      everyHours: 24,
      keep: 7,
      hasPassphrase: false,
      lastBackupAt: null,
      lastError: null,
      files: [],
    });
    expect(await runDueBackup()).toBeNull();
    expect((await rejection(updateBackupSchedule({ enabled: true }))).details).toEqual({
      passphrase: "Choose the passphrase the scheduled backups are encrypted with",
    });
    expect((await rejection(updateBackupSchedule({ enabled: true, passphrase: "short" }))).details.passphrase).toMatch(/at least 10/);
    expect((await rejection(updateBackupSchedule({ everyHours: 0, keep: "x" }))).details).toMatchObject({
      everyHours: "Back up at most once an hour",
      keep: "Enter how many to keep",
    });
    const state = await updateBackupSchedule({ enabled: true, everyHours: 6, keep: 2, passphrase: PASSPHRASE });
    expect(state).toMatchObject({ enabled: true, everyHours: 6, keep: 2, hasPassphrase: true });
    expect(JSON.stringify(await db().setting.findMany())).not.toContain(PASSPHRASE);
    expect((await updateBackupSchedule({ enabled: false })).hasPassphrase).toBe(true);
    expect((await updateBackupSchedule({ enabled: true })).enabled).toBe(true);
  });

  it("back up when due, keep the newest, and restore", async () => {
    await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] });
    await updateBackupSchedule({ enabled: true, everyHours: 6, keep: 2, passphrase: PASSPHRASE });
    const start = new Date("2026-12-07T00:00:00Z");
    const first = await runDueBackup(start);
    const file = first && "file" in first ? first.file : "";
    expect(path.basename(file)).toBe("scheduled-2026-12-07T00-00-00Z.gkbackup");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await runDueBackup(new Date(start.getTime() + 5 * HOUR))).toBeNull();
    for (const hours of [6, 12, 18]) expect(await runDueBackup(new Date(start.getTime() + hours * HOUR))).toHaveProperty("file");
    const state = await getBackupSchedule();
    expect(state.files.map((file) => file.name)).toEqual(["scheduled-2026-12-07T18-00-00Z.gkbackup", "scheduled-2026-12-07T12-00-00Z.gkbackup"]);
    expect(state).toMatchObject({ lastBackupAt: "2026-12-07T18:00:00.000Z", lastError: null });
    expect(readdirSync(path.join(dataDir, "backups"))).toHaveLength(2);

    const preview = await restoreBackup(readFileSync(path.join(dataDir, "backups", state.files[0]!.name)), PASSPHRASE, { dryRun: true });
    expect(preview.changes.sites).toEqual({ added: [], changed: [], removed: [] });
    expect((await listSites()).map((site) => site.name)).toEqual(["Blog"]);
  });

  it("record a failure, shown until the next backup succeeds", async () => {
    await updateBackupSchedule({ enabled: true, everyHours: 1, keep: 1, passphrase: PASSPHRASE });
    await db().setting.update({ where: { key: "backup.passphrase" }, data: { value: "v1:not:sealed:here" } });
    expect(await runDueBackup(new Date("2026-12-07T00:00:00Z"))).toEqual({ error: expect.stringMatching(/sealed credentials/) });
    expect((await getBackupSchedule()).lastError).toMatch(/sealed credentials/);
    await updateBackupSchedule({ passphrase: PASSPHRASE });
    expect(await runDueBackup(new Date("2026-12-07T01:00:00Z"))).toHaveProperty("file");
    expect((await getBackupSchedule()).lastError).toBeNull();
  });
});
