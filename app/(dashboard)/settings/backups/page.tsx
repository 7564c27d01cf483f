import type { Metadata } from "next";
import Link from "next/link";
import { getBackupSchedule } from "@/lib/services/backup-schedule";
import { PageHeader } from "@/app/_components/page-header";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { DownloadBackupForm } from "./download-backup-form";
import { RestoreForm } from "./restore-form";
import { ScheduleForm } from "./schedule-form";
import { ScheduledBackupsStatus } from "./scheduled-backups-status";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Backup and restore" };

export default async function BackupsPage() {
  await requireUser();
  const schedule = await getBackupSchedule();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/settings" className="hover:text-slate-700">
            ← Settings
          </Link>
        }
        title="Backup and restore"
        description="One encrypted file holds everything configured: sites, certificates with their private keys, access lists, DNS providers, settings, users and API tokens. Sign-ins, health and traffic history are not in it."
      />
      <Card>
        <CardHeader titleId="download-backup-title" title="Download a backup" description="Made now, from the configuration as it is." />
        <CardContent className="py-5">
          <DownloadBackupForm />
        </CardContent>
      </Card>
      <Card className="mt-8">
        <CardHeader
          titleId="restore-title"
          title="Restore"
          description="Replaces everything configured with what the backup holds; the proxy keeps serving and switches in one step. Users and API tokens are replaced too: if yours is not in the backup, you are signed out."
        />
        <CardContent className="py-5">
          <RestoreForm />
        </CardContent>
      </Card>
      <Card className="mt-8" data-testid="backup-schedule">
        <CardHeader
          titleId="backup-schedule-title"
          title="Scheduled backups"
          description="The proxy makes them by itself, even while nobody is signed in."
        />
        <CardContent className="space-y-5 py-5">
          <ScheduledBackupsStatus schedule={schedule} />
          <ScheduleForm current={schedule} />
        </CardContent>
      </Card>
    </>
  );
}
