import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openCredentials, sealCredentials } from "../certs/key-crypto";
import { db } from "../db";
import { dataDir } from "../env/paths";
import { AppError, validationError } from "../errors";
import {
  backupSchedulePatchSchema,
  backupScheduleSchema,
  type BackupSchedule,
  type BackupScheduleState,
  DEFAULT_BACKUP_SCHEDULE,
} from "../schemas/backup";
import { BACKUP_PASSPHRASE_SETTING } from "../backup/backup-tables";

/** Setting keys; the passphrase is sealed like a DNS provider's credentials. */
const BACKUP_SETTING_KEYS = { schedule: "backup.schedule", passphrase: BACKUP_PASSPHRASE_SETTING, lastRun: "backup.lastRun" } as const;
const SCHEDULED_PREFIX = "scheduled";
const HOUR_MS = 60 * 60 * 1000;

interface LastRun {
  at: string;
  error: string | null;
}

const backupsDir = () => path.join(dataDir(), "backups");

async function readSetting(key: string): Promise<string | undefined> {
  return (await db().setting.findUnique({ where: { key } }))?.value;
}

async function writeSetting(key: string, value: string): Promise<void> {
  await db().setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

async function readSchedule(): Promise<BackupSchedule> {
  const parsed = backupScheduleSchema.safeParse(JSON.parse((await readSetting(BACKUP_SETTING_KEYS.schedule)) ?? "null"));
  return parsed.success ? parsed.data : DEFAULT_BACKUP_SCHEDULE;
}

async function readLastRun(): Promise<LastRun | null> {
  const text = await readSetting(BACKUP_SETTING_KEYS.lastRun);
  return text ? (JSON.parse(text) as LastRun) : null;
}

export async function getBackupSchedule(): Promise<BackupScheduleState> {
  const [schedule, passphrase, lastRun] = await Promise.all([readSchedule(), readSetting(BACKUP_SETTING_KEYS.passphrase), readLastRun()]);
  return {
    ...schedule,
    hasPassphrase: passphrase !== undefined,
    lastBackupAt: lastRun?.at ?? null,
    lastError: lastRun?.error ?? null,
    files: scheduledFiles(),
  };
}

/** Changes what is sent; turning the schedule on needs a passphrase, given now or before. */
export async function updateBackupSchedule(patch: unknown): Promise<BackupScheduleState> {
  const parsed = backupSchedulePatchSchema.safeParse(patch);
  if (!parsed.success) throw validationError(parsed.error);
  const { passphrase, ...fields } = parsed.data;
  const schedule = { ...(await readSchedule()), ...fields };
  if (schedule.enabled && passphrase === undefined && (await readSetting(BACKUP_SETTING_KEYS.passphrase)) === undefined) {
    throw new AppError("validation_failed", "Some fields need attention", {
      passphrase: "Choose the passphrase the scheduled backups are encrypted with",
    });
  }
  await db().$transaction(async (tx) => {
    const save = (key: string, value: string) => tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    await save(BACKUP_SETTING_KEYS.schedule, JSON.stringify(schedule));
    if (passphrase !== undefined) await save(BACKUP_SETTING_KEYS.passphrase, sealCredentials({ passphrase }));
  });
  return getBackupSchedule();
}

/**
 * Makes a backup when the schedule says one is due, and keeps only the newest. Run by the proxy
 * primary: a failure is recorded, shown in the dashboard, and tried again when the next one is due.
 */
export async function runDueBackup(now = new Date()): Promise<{ file: string } | { error: string } | null> {
  const schedule = await readSchedule();
  if (!schedule.enabled) return null;
  const lastRun = await readLastRun();
  if (lastRun && now.getTime() - Date.parse(lastRun.at) < schedule.everyHours * HOUR_MS) return null;
  try {
    const sealed = await readSetting(BACKUP_SETTING_KEYS.passphrase);
    if (sealed === undefined) throw new Error("No passphrase is set for the scheduled backups");
    // Loaded when a backup is due: the proxy primary checks the schedule every minute, and most never back up.
    const { backupFileName, createBackup } = await import("./backups");
    const file = path.join(backupsDir(), backupFileName(now, SCHEDULED_PREFIX));
    mkdirSync(backupsDir(), { recursive: true, mode: 0o700 });
    writeFileSync(file, createBackup(openCredentials(sealed).passphrase, now), { mode: 0o600 });
    for (const old of scheduledFiles().slice(schedule.keep)) rmSync(path.join(backupsDir(), old.name), { force: true });
    await writeSetting(BACKUP_SETTING_KEYS.lastRun, JSON.stringify({ at: now.toISOString(), error: null } satisfies LastRun));
    return { file };
  } catch (error) {
    const message = (error as Error).message;
    await writeSetting(BACKUP_SETTING_KEYS.lastRun, JSON.stringify({ at: now.toISOString(), error: message } satisfies LastRun));
    return { error: message };
  }
}

/** Scheduled backups on disk, newest first (their names sort by time). */
function scheduledFiles(): BackupScheduleState["files"] {
  let names: string[];
  try {
    names = readdirSync(backupsDir()).filter((name) => name.startsWith(`${SCHEDULED_PREFIX}-`) && name.endsWith(".gkbackup"));
  } catch {
    return [];
  }
  return names
    .sort()
    .reverse()
    .map((name) => {
      const stat = statSync(path.join(backupsDir(), name));
      return { name, bytes: stat.size, createdAt: stat.mtime.toISOString() };
    });
}
