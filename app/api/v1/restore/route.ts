import { apiRoute, json } from "../_lib/respond";
import { AppError } from "@/lib/errors";
import { restoreBackup } from "@/lib/services/backups";

/** A backup is a few megabytes even with many certificates; far larger is not one. */
const MAX_BACKUP_BYTES = 64 * 1024 * 1024;

/** Multipart `file`, `passphrase`, `dryRun` ("true" shows what would change and changes nothing). */
export const POST = apiRoute(async ({ request }) => {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("validation_failed", "Send the backup as multipart/form-data with the fields file, passphrase and dryRun");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("validation_failed", "Some fields need attention", { file: "Attach the backup file" });
  if (file.size > MAX_BACKUP_BYTES)
    throw new AppError("validation_failed", "Some fields need attention", { file: "This file is too large to be a backup" });
  const dryRun = form.get("dryRun");
  if (dryRun !== null && dryRun !== "true" && dryRun !== "false") {
    throw new AppError("validation_failed", "Some fields need attention", { dryRun: 'Send "true" to preview or "false" to restore' });
  }
  const result = await restoreBackup(Buffer.from(await file.arrayBuffer()), form.get("passphrase"), { dryRun: dryRun === "true" });
  return json({ changes: result.changes, applied: result.applied });
}, "admin");
