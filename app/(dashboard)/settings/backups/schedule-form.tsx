"use client";

import { useActionState } from "react";
import type { BackupScheduleState } from "@/lib/schemas/backup";
import { ActionForm } from "@/app/_components/action-form";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import { idle } from "@/app/_lib/form-state";
import { saveBackupSchedule } from "./schedule-actions";

/** Settings › Backups › Scheduled backups: on or off, how often, how many kept, and their passphrase. */
export function ScheduleForm({ current }: { current: BackupScheduleState }) {
  const [state, dispatch, pending] = useActionState(saveBackupSchedule, idle);
  const errors = state.fieldErrors ?? {};
  return (
    <ActionForm action={dispatch} noValidate aria-labelledby="backup-schedule-title" className="space-y-4">
      {/* Re-read the saved schedule after each successful save; never after an error. The passphrase
          field starts empty each time: it is write-only. */}
      <div key={state.nonce ?? 0} className="space-y-4">
        <SwitchField
          id="backup-schedule-enabled"
          name="enabled"
          label="Make backups on a schedule"
          description="The proxy writes them into the data directory's backups folder, encrypted with the passphrase below."
          defaultChecked={current.enabled}
          error={errors.enabled}
        />
        <div className="grid max-w-md gap-4 sm:grid-cols-2">
          <Field id="backup-schedule-every-hours" label="Every (hours)" error={errors.everyHours} hint="24 is once a day.">
            <Input name="everyHours" type="number" inputMode="numeric" min={1} step={1} defaultValue={current.everyHours} />
          </Field>
          <Field id="backup-schedule-keep" label="Keep the newest" error={errors.keep} hint="Older ones are deleted.">
            <Input name="keep" type="number" inputMode="numeric" min={1} step={1} defaultValue={current.keep} />
          </Field>
        </div>
        <Field
          id="backup-schedule-passphrase"
          label="Passphrase"
          optional={current.hasPassphrase}
          error={errors.passphrase}
          className="max-w-md"
          hint={
            current.hasPassphrase
              ? "A passphrase is saved; it is never shown. Leave empty to keep it, or type a new one for the next backups."
              : "At least 10 characters, needed to turn scheduled backups on. Keep it elsewhere: nothing opens the files without it."
          }
        >
          <Input name="passphrase" type="password" autoComplete="new-password" />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending}>Save schedule</SubmitButton>
        <FormResult state={state} testIds={{ error: "backup-schedule-error", success: "backup-schedule-saved" }} />
      </div>
    </ActionForm>
  );
}
