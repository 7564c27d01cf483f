import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS_DIR, migrateDatabase, migrationNames } from "../migrate-database";
import { BACKED_UP_TABLES, type BackedUpTable } from "./backup-tables";
import { BackupError } from "./backup-file";

export type Row = Record<string, unknown>;
export type TableRows = Partial<Record<BackedUpTable, Row[]>>;

/** How long a restore waits for another process's write to finish. */
export const LOCK_WAIT_MS = 60_000;

/** The backed-up tables' rows (those this database has), read in one transaction so they agree. */
export function readTables(sqlite: Database.Database): TableRows {
  return sqlite.transaction(() => {
    const present = new Set(
      (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((row) => row.name),
    );
    const tables = BACKED_UP_TABLES.filter((table) => present.has(table));
    return Object.fromEntries(tables.map((table) => [table, sqlite.prepare(`SELECT * FROM "${table}"`).all() as Row[]]));
  })();
}

/** The migrations a database has had, oldest first. */
export function appliedMigrations(sqlite: Database.Database): string[] {
  const rows = sqlite
    .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`)
    .all() as { migration_name: string }[];
  return rows.map((row) => row.migration_name);
}

/** Puts rows back, parents first; the caller holds the transaction and has foreign keys off. */
export function insertTables(sqlite: Database.Database, tables: TableRows): void {
  for (const table of BACKED_UP_TABLES) {
    for (const row of tables[table] ?? []) {
      const columns = Object.keys(row);
      const names = columns.map((column) => `"${column.replaceAll('"', '""')}"`).join(", ");
      sqlite.prepare(`INSERT INTO "${table}" (${names}) VALUES (${columns.map(() => "?").join(", ")})`).run(...columns.map((column) => row[column]));
    }
  }
}

/**
 * The backup's rows as this version stores them: put into a scratch database at the backup's own
 * version, then brought up to date by the same migrations an upgrade runs.
 */
export function rowsAtThisVersion(tables: Record<string, Row[]>, migrations: string[]): TableRows {
  const known = new Set(migrationNames(MIGRATIONS_DIR));
  const unknown = migrations.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new BackupError("This backup was made by a newer version of Gatekeeper: upgrade this one first");
  const scratch = mkdtempSync(path.join(os.tmpdir(), "gk-restore-"));
  try {
    const then = path.join(scratch, "migrations");
    for (const name of migrations) cpSync(path.join(MIGRATIONS_DIR, name), path.join(then, name), { recursive: true });
    mkdirSync(then, { recursive: true });
    const file = path.join(scratch, "data", "restore.db");
    migrateDatabase(file, then);
    const sqlite = new Database(file);
    try {
      sqlite.pragma("foreign_keys = OFF");
      sqlite.transaction(() => insertTables(sqlite, pick(tables)))();
    } catch (error) {
      throw new BackupError(`The backup file is damaged: its rows do not fit its own version (${(error as Error).message})`);
    } finally {
      sqlite.close();
    }
    migrateDatabase(file);
    const upgraded = new Database(file, { readonly: true });
    try {
      return readTables(upgraded);
    } finally {
      upgraded.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Only the tables a backup holds, whatever else a file claims. */
function pick(tables: Record<string, Row[]>): TableRows {
  return Object.fromEntries(BACKED_UP_TABLES.filter((table) => table in tables).map((table) => [table, tables[table]]));
}
