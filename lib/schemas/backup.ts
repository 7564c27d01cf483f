import { z } from "zod";

const MIN_PASSPHRASE_LENGTH = 10;

/** The passphrase a backup is encrypted with: long, because the file holds every private key. */
export const backupPassphraseSchema = z
  .string({ error: `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters: the backup holds every private key` })
  .min(MIN_PASSPHRASE_LENGTH, `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters: the backup holds every private key`);
const MAX_HOURS = 24 * 30;
const MAX_KEPT = 365;

/** Backups the proxy makes by itself into DATA_DIR/backups, the newest `keep` kept. */
export const backupScheduleSchema = z
  .object({
    enabled: z.boolean({ error: "Choose on or off" }),
    everyHours: z.coerce
      .number({ error: "Enter a number of hours" })
      .int("Enter whole hours")
      .min(1, "Back up at most once an hour")
      .max(MAX_HOURS, `Back up at least every ${MAX_HOURS} hours`),
    keep: z.coerce
      .number({ error: "Enter how many to keep" })
      .int("Enter a whole number")
      .min(1, "Keep at least one")
      .max(MAX_KEPT, `Keep at most ${MAX_KEPT}`),
  })
  .strict();

export type BackupSchedule = z.output<typeof backupScheduleSchema>;
export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = { enabled: false, everyHours: 24, keep: 7 };

/** A change: the fields sent, and the passphrase (write-only; sealed at rest). */
export const backupSchedulePatchSchema = backupScheduleSchema.partial().extend({
  passphrase: backupPassphraseSchema.optional(),
});

/** What the API and the dashboard see: never the passphrase. */
export interface BackupScheduleState extends BackupSchedule {
  hasPassphrase: boolean;
  lastBackupAt: string | null;
  lastError: string | null;
  /** The scheduled backups in DATA_DIR/backups, newest first. */
  files: { name: string; bytes: number; createdAt: string }[];
}
