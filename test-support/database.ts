import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb } from "../lib/db";
import { migrateDatabase } from "../lib/migrate-database";

/**
 * Points DATA_DIR at a fresh folder with a real SQLite file that has every migration applied, as
 * `npm start` applies them. Returns a cleanup function.
 */
export async function useTempDatabase(): Promise<{ dataDir: string; cleanup: () => Promise<void> }> {
  await closeDb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gk-db-"));
  process.env.DATA_DIR = dataDir;
  migrateDatabase();
  return {
    dataDir,
    cleanup: async () => {
      await closeDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
