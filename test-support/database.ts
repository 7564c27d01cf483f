import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { closeDb } from "../lib/db";
import { databasePath } from "../lib/env/paths";

const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");

/**
 * Points DATA_DIR at a fresh folder with a real SQLite file that has every migration applied,
 * exactly the SQL `prisma migrate deploy` runs. Returns a cleanup function.
 */
export async function useTempDatabase(): Promise<{ dataDir: string; cleanup: () => Promise<void> }> {
  await closeDb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gk-db-"));
  process.env.DATA_DIR = dataDir;
  const sqlite = new Database(databasePath());
  for (const folder of readdirSync(migrationsDir).filter((name) => !name.endsWith(".toml")).sort()) {
    sqlite.exec(readFileSync(path.join(migrationsDir, folder, "migration.sql"), "utf8"));
  }
  sqlite.close();
  return {
    dataDir,
    cleanup: async () => {
      await closeDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
