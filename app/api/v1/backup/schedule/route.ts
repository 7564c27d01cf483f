import { apiRoute, json, readJson } from "@/app/api/v1/_lib/respond";
import { getBackupSchedule, updateBackupSchedule } from "@/lib/services/backup-schedule";

export const GET = apiRoute(async () => json(await getBackupSchedule()));

/** `{ enabled?, everyHours?, keep?, passphrase? }`; the passphrase is write-only. */
export const PATCH = apiRoute(async ({ request }) => json(await updateBackupSchedule(await readJson(request))));
