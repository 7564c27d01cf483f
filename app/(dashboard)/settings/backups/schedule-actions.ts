"use server";

import { revalidatePath } from "next/cache";
import { updateBackupSchedule } from "@/lib/services/backup-schedule";
import { checked, stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";

const FIELDS = ["enabled", "everyHours", "keep", "passphrase"] as const;

/** Saves the schedule; an empty passphrase field keeps the saved passphrase (it is never sent back). */
export async function saveBackupSchedule(previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("admin");
  const passphrase = text(formData, "passphrase");
  let enabled: boolean;
  try {
    ({ enabled } = await updateBackupSchedule({
      enabled: checked(formData, "enabled"),
      everyHours: text(formData, "everyHours").trim(),
      keep: text(formData, "keep").trim(),
      ...(passphrase === "" ? {} : { passphrase }),
    }));
  } catch (error) {
    // Keep the nonce: the fields re-read the saved schedule only after a success, never after an error.
    return { ...stateFromError(error, FIELDS), nonce: previous.nonce };
  }
  revalidatePath("/settings", "layout");
  return success(enabled ? "Saved: the proxy makes the next backup when it is due." : "Saved: scheduled backups are off.");
}
