import { createHash, randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { appRoot } from "./env/entry-points";
import { ensureDataDir } from "./env/data-dir";
import { databasePath } from "./env/paths";
import { SECRET_KEY_FILE } from "./certs/secret-key-file";

/** How long a migration waits for another process's write to finish. */
const LOCK_WAIT_MS = 60_000;
/** Copies taken before upgrades, in DATA_DIR/backups; older ones are deleted. */
const UPGRADE_COPIES_KEPT = 3;
const UPGRADE_COPY_PREFIX = "before-upgrade-";

export const MIGRATIONS_DIR = path.join(appRoot, "prisma", "migrations");

/**
 * Applies the migrations in prisma/migrations that the database has not had yet, each in a
 * transaction of its own, recorded in Prisma's own `_prisma_migrations` table exactly as
 * `prisma migrate deploy` records them (so either may run after the other). In process and in
 * milliseconds, where the Prisma CLI takes a second and a half to start. Returns the names applied.
 *
 * An existing database is copied first (DATA_DIR/backups/before-upgrade-*.db): if any migration
 * fails, the copy is put back, so the database is exactly as the previous version left it.
 */
export function migrateDatabase(file: string = databasePath(), migrationsDir: string = MIGRATIONS_DIR): string[] {
  const dir = ensureDataDir(path.dirname(file));
  // The key that seals private keys is made on first use: with it there, this is no first run.
  if (!existsSync(file) && existsSync(path.join(dir, SECRET_KEY_FILE))) {
    throw new Error(
      `The data directory ${dir} has ${SECRET_KEY_FILE} but no ${path.basename(file)}: the database is missing, and starting now ` +
        `would begin again from an empty one. Put the database file back (copies taken before upgrades are in ${path.join(dir, "backups")}), ` +
        `or, to really start afresh, move ${SECRET_KEY_FILE} out of the data directory.`,
    );
  }
  const sqlite = new Database(file, { timeout: LOCK_WAIT_MS });
  let copy: string | null = null;
  try {
    sqlite.pragma("journal_mode = WAL");
    // A migration that redefines a table drops the old one: with foreign keys on, that would
    // delete (cascade) the rows that point at it. SQLite ignores this pragma inside a transaction,
    // so it is set here, and the keys are checked once all migrations ran.
    sqlite.pragma("foreign_keys = OFF");
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const isApplied = sqlite.prepare(
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const names = migrationNames(migrationsDir);
    const pending = names.filter((name) => isApplied.get(name) === undefined);
    // A new database has nothing to lose; an existing one is copied before it changes.
    if (pending.length > 0 && pending.length < names.length) copy = copyBeforeUpgrade(sqlite, file);
    const applied: string[] = [];
    for (const name of pending) {
      const script = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const ran = sqlite
        .transaction(() => {
          // Read again under the write lock, so two processes starting at once do not both apply it.
          if (isApplied.get(name) !== undefined) return false;
          const startedAt = new Date().toISOString();
          try {
            sqlite.exec(script);
          } catch (error) {
            throw new Error(`The database migration ${name} failed: ${(error as Error).message}`);
          }
          sqlite
            .prepare(
              `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
            )
            .run(randomUUID(), createHash("sha256").update(script).digest("hex"), new Date().toISOString(), name, startedAt);
          return true;
        })
        .immediate();
      if (ran) applied.push(name);
    }
    const broken = sqlite.pragma("foreign_key_check") as unknown[];
    if (broken.length > 0) throw new Error(`After the database migrations, ${broken.length} rows point at rows that do not exist.`);
    return applied;
  } catch (error) {
    if (!copy) throw error;
    sqlite.close();
    restoreCopy(copy, file);
    throw new Error(
      `${(error as Error).message}\nThe database was put back as it was before this upgrade (a copy stays at ${copy}): ` +
        "the previous version of Gatekeeper runs on it. Nothing was lost.",
    );
  } finally {
    if (sqlite.open) sqlite.close();
  }
}

/** A consistent copy of the whole database (VACUUM INTO reads one snapshot); keeps the newest few. */
function copyBeforeUpgrade(sqlite: Database.Database, file: string): string {
  const dir = path.join(path.dirname(file), "backups");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Named by time, so they sort oldest first; the random tail keeps two in one millisecond apart.
  const stamp = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`;
  const copy = path.join(dir, `${UPGRADE_COPY_PREFIX}${stamp}.db`);
  sqlite.prepare("VACUUM INTO ?").run(copy);
  const copies = readdirSync(dir)
    .filter((name) => name.startsWith(UPGRADE_COPY_PREFIX))
    .sort();
  for (const old of copies.slice(0, -UPGRADE_COPIES_KEPT)) rmSync(path.join(dir, old), { force: true });
  return copy;
}

/** The copy in place of the database; its write-ahead log belonged to the failed upgrade. */
function restoreCopy(copy: string, file: string): void {
  for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
  copyFileSync(copy, file);
}

/** The migration folders, oldest first (their names start with a timestamp). */
export function migrationNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "migration.sql")))
    .sort();
}
