import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { appRoot } from "./env/entry-points";
import { ensureDataDir } from "./env/data-dir";
import { databasePath } from "./env/paths";

/** How long a migration waits for another process's write to finish. */
const LOCK_WAIT_MS = 60_000;

export const MIGRATIONS_DIR = path.join(appRoot, "prisma", "migrations");

/**
 * Applies the migrations in prisma/migrations that the database has not had yet, each in a
 * transaction of its own, recorded in Prisma's own `_prisma_migrations` table exactly as
 * `prisma migrate deploy` records them (so either may run after the other). In process and in
 * milliseconds, where the Prisma CLI takes a second and a half to start. Returns the names applied.
 */
export function migrateDatabase(file: string = databasePath(), migrationsDir: string = MIGRATIONS_DIR): string[] {
  ensureDataDir(path.dirname(file));
  const sqlite = new Database(file, { timeout: LOCK_WAIT_MS });
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
    const applied: string[] = [];
    for (const name of migrationNames(migrationsDir)) {
      const script = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const ran = sqlite
        .transaction(() => {
          // Read under the write lock, so two processes starting at once do not both apply it.
          const done = sqlite
            .prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`)
            .get(name);
          if (done !== undefined) return false;
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
  } finally {
    sqlite.close();
  }
}

/** The migration folders, oldest first (their names start with a timestamp). */
function migrationNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, "migration.sql")))
    .sort();
}
