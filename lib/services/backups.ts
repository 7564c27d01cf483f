import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { reseal, type SealPurpose } from "../certs/key-crypto";
import { secretKey } from "../certs/secret-key-file";
import { notifyProxy } from "../config/notify";
import { dataDir, databasePath } from "../env/paths";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { BackupError, openBackup, sealBackup } from "../backup/backup-file";
import { backupPassphraseSchema } from "../schemas/backup";
import {
  BACKED_UP_TABLES,
  RESTORE_SUBJECTS,
  type RestoreSubject,
  SEALED_COLUMNS,
  SEALED_SETTING_PREFIX,
  SEALED_SETTINGS,
  VOLATILE_COLUMNS,
} from "../backup/backup-tables";
import { appliedMigrations, insertTables, LOCK_WAIT_MS, type Row, readTables, rowsAtThisVersion, type TableRows } from "../backup/table-rows";

export interface NamedObject {
  id: string;
  name: string;
}

export interface SubjectChanges {
  added: NamedObject[];
  changed: NamedObject[];
  removed: NamedObject[];
}

export interface RestoreResult {
  changes: Record<RestoreSubject, SubjectChanges>;
  applied: boolean;
  /** Where the state before the restore was saved (when applied). */
  before?: string;
}

function checkPassphrase(passphrase: unknown): string {
  const parsed = backupPassphraseSchema.safeParse(passphrase);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention", { passphrase: parsed.error.issues[0]!.message });
  return parsed.data;
}

function openDatabase(readonly: boolean): Database.Database {
  return new Database(databasePath(), { readonly, timeout: LOCK_WAIT_MS, fileMustExist: true });
}

/** Everything a person configured, with the key its secrets are sealed with, encrypted with the passphrase. */
export function createBackup(passphrase: unknown, now = new Date()): Buffer {
  const checked = checkPassphrase(passphrase);
  const sqlite = openDatabase(true);
  try {
    const tables = readTables(sqlite);
    return sealBackup(
      { format: 1, createdAt: now.toISOString(), migrations: appliedMigrations(sqlite), secretKey: secretKey().toString("base64"), tables },
      checked,
    );
  } finally {
    sqlite.close();
  }
}

/** A file name for a backup made now: gatekeeper-2026-12-07T14-03-00Z.gkbackup. */
export function backupFileName(now = new Date(), prefix = "gatekeeper"): string {
  return `${prefix}-${now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-")}.gkbackup`;
}

/**
 * Shows what a backup would change and, unless `dryRun`, puts it in place: the state before is
 * saved first (DATA_DIR/backups), then every backed-up table is replaced in one transaction, so
 * the proxy, which keeps serving, switches to the restored configuration in one step. A file that
 * is damaged or does not open with the passphrase changes nothing.
 */
export async function restoreBackup(file: Buffer, passphrase: unknown, options: { dryRun: boolean }, now = new Date()): Promise<RestoreResult> {
  const checked = checkPassphrase(passphrase);
  let restored: TableRows;
  try {
    const contents = openBackup(file, checked);
    restored = resealed(rowsAtThisVersion(contents.tables, contents.migrations), Buffer.from(contents.secretKey, "base64"));
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    const field = error.message.startsWith("The passphrase") ? "passphrase" : "file";
    throw new AppError("validation_failed", error.message, { [field]: error.message });
  }
  const sqlite = openDatabase(false);
  let result: RestoreResult;
  try {
    const changes = compare(readTables(sqlite), restored);
    if (options.dryRun) return { changes, applied: false };
    const before = path.join(dataDir(), "backups", backupFileName(now, "before-restore"));
    mkdirSync(path.dirname(before), { recursive: true, mode: 0o700 });
    writeFileSync(before, createBackup(checked, now), { mode: 0o600 });
    replaceTables(sqlite, restored, now);
    notifyProxy();
    result = { changes, applied: true, before };
  } finally {
    sqlite.close();
  }
  // After the tables are replaced: the history is one of them, and this entry belongs to the new one.
  await recordAudit({ action: "restore", objectType: "backup", objectId: null, after: restoreSummary(result) }, now);
  return result;
}

/** What the history keeps of a restore: counts per kind, and where the state before it was saved. */
function restoreSummary({ changes, before }: RestoreResult): Record<string, unknown> {
  const counts = Object.fromEntries(
    Object.entries(changes).map(([subject, { added, changed, removed }]) => [
      subject,
      { added: added.length, changed: changed.length, removed: removed.length },
    ]),
  );
  return { ...counts, savedBefore: before ? path.basename(before) : null };
}

/** Another install's secrets, sealed again with this install's key. */
function resealed(tables: TableRows, from: Buffer): TableRows {
  const to = secretKey();
  if (from.equals(to)) return tables;
  const again = (sealed: unknown, purpose: SealPurpose) => {
    if (typeof sealed !== "string" || sealed === "") return sealed;
    try {
      return reseal(sealed, purpose, from, to);
    } catch {
      throw new BackupError("The backup file is damaged: a private key in it does not open with the backup's own key");
    }
  };
  const copy: TableRows = { ...tables };
  for (const { table, column, purpose } of SEALED_COLUMNS) {
    copy[table] = (tables[table] ?? []).map((row) => ({ ...row, [column]: again(row[column], purpose) }));
  }
  copy.Setting = (tables.Setting ?? []).map((row) => {
    if (SEALED_SETTINGS.has(String(row.key))) return { ...row, value: again(row.value, "credentials") };
    if (typeof row.key !== "string" || !row.key.startsWith(SEALED_SETTING_PREFIX)) return row;
    const value = JSON.parse(String(row.value)) as { key?: string };
    return { ...row, value: JSON.stringify({ ...value, key: again(value.key, "private-key") }) };
  });
  return copy;
}

/** Replaces every backed-up table at once; the proxy applies all sites again at the new revision. */
function replaceTables(sqlite: Database.Database, tables: TableRows, now: Date): void {
  // Rows go back in whole: cascades would delete what is about to be put back.
  sqlite.pragma("foreign_keys = OFF");
  sqlite
    .transaction(() => {
      for (const table of [...BACKED_UP_TABLES].reverse()) sqlite.prepare(`DELETE FROM "${table}"`).run();
      insertTables(sqlite, tables);
      sqlite.prepare(`DELETE FROM "Session" WHERE "userId" NOT IN (SELECT "id" FROM "User")`).run();
      // An order that was running when the backup was made starts again.
      sqlite.prepare(`UPDATE "Certificate" SET "orderStatus" = 'queued' WHERE "orderStatus" = 'running'`).run();
      const stamp = now.toISOString().replace("Z", "+00:00");
      const current = sqlite.prepare(`SELECT "revision" FROM "ConfigRevision" WHERE "id" = 1`).get() as { revision: number } | undefined;
      const revision = (current?.revision ?? 0) + 1;
      sqlite.prepare(`INSERT OR REPLACE INTO "ConfigRevision" ("id", "revision", "updatedAt") VALUES (1, ?, ?)`).run(revision, stamp);
      sqlite.prepare(`UPDATE "Site" SET "revision" = ?`).run(revision);
      sqlite.prepare(`UPDATE "Stream" SET "revision" = ?`).run(revision);
      const broken = sqlite.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0)
        throw new AppError("validation_failed", `The backup's rows point at ${broken.length} rows it does not hold: nothing was changed`);
    })
    .immediate();
}

/** Per kind of object: what the restore adds, changes and removes, by name. */
function compare(live: TableRows, restored: TableRows): Record<RestoreSubject, SubjectChanges> {
  const entries = Object.entries(RESTORE_SUBJECTS).map(([subject, spec]) => {
    const fingerprints = (tables: TableRows) =>
      new Map(
        (tables[spec.table] ?? []).map((row) => {
          const children = spec.children.map(({ table, parent }) =>
            (tables[table] ?? [])
              .filter((child) => child[parent] === row[spec.id])
              .map(stable)
              .sort(),
          );
          return [String(row[spec.id]), { name: String(row[spec.label]), print: JSON.stringify([stable(row), children]) }];
        }),
      );
    const now = fingerprints(live);
    const then = fingerprints(restored);
    const named = (id: string, from: Map<string, { name: string }>) => ({ id, name: from.get(id)!.name });
    const changes: SubjectChanges = {
      added: [...then.keys()].filter((id) => !now.has(id)).map((id) => named(id, then)),
      changed: [...then.keys()].filter((id) => now.has(id) && now.get(id)!.print !== then.get(id)!.print).map((id) => named(id, then)),
      removed: [...now.keys()].filter((id) => !then.has(id)).map((id) => named(id, now)),
    };
    return [subject, changes];
  });
  return Object.fromEntries(entries) as Record<RestoreSubject, SubjectChanges>;
}

/** A row as text without the columns that change on every restore. */
function stable(row: Row): string {
  return JSON.stringify(Object.entries(row).filter(([column]) => !VOLATILE_COLUMNS.has(column)));
}
