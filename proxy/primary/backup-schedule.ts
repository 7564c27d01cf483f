import type { Logger } from "pino";
import { intervalFromEnv } from "./interval-from-env";

/** Checks once a minute whether the schedule wants a backup; backups themselves are hours apart. */
const CHECK_MS = 60_000;

/** The primary makes the scheduled backups (it runs as long as the product does). */
export function startBackupSchedule(logger: Logger, env: Readonly<Record<string, string | undefined>> = process.env): { stop(): void } {
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      // Only the schedule is read here; the backup code itself loads when a backup is due.
      const { runDueBackup } = await import("@/lib/services/backup-schedule");
      const outcome = await runDueBackup();
      if (outcome && "file" in outcome) logger.info({ file: outcome.file }, "scheduled backup saved");
      if (outcome && "error" in outcome) logger.warn({ error: outcome.error }, "scheduled backup failed");
    } catch (error) {
      logger.warn({ err: error }, "could not check the backup schedule");
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), intervalFromEnv(env, "BACKUP_CHECK_MS", CHECK_MS));
  return { stop: () => clearInterval(timer) };
}
