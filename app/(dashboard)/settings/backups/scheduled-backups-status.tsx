import type { BackupScheduleState } from "@/lib/schemas/backup";
import { formatBytes } from "@/app/_components/charts/chart-scale";
import { Alert } from "@/app/_components/ui/alert";
import { formatDate, timeAgo } from "@/app/_lib/time";

/** How the schedule has gone: the last backup or why it failed, and the files it keeps. */
export function ScheduledBackupsStatus({ schedule }: { schedule: BackupScheduleState }) {
  const { lastBackupAt, lastError, files } = schedule;
  return (
    <div className="space-y-3">
      {lastError && lastBackupAt ? (
        <Alert tone="error" title={`The last scheduled backup failed (${formatDate(lastBackupAt)})`} testId="backup-schedule-last-error">
          <p>{lastError}</p>
          <p>The proxy tries again when the next one is due.</p>
        </Alert>
      ) : (
        <p className="text-sm text-slate-600" data-testid="backup-schedule-last">
          {lastBackupAt ? `Last backup ${timeAgo(lastBackupAt)} (${formatDate(lastBackupAt)}).` : "No scheduled backup has been made yet."}
        </p>
      )}
      {files.length > 0 ? (
        <ul aria-label="Scheduled backup files" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {files.map((file) => (
            <li
              key={file.name}
              data-testid="scheduled-backup-file"
              className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-0.5 px-3 py-2 text-sm"
            >
              <span className="min-w-0 font-mono text-xs break-all text-slate-800">{file.name}</span>
              <span className="text-xs text-slate-500">
                {formatBytes(file.bytes)} · {formatDate(file.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
