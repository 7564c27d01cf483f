"use client";

import { type FormEvent, useState } from "react";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { jsonOrNull, stateFromApiFailure, UNREACHABLE } from "@/app/_lib/api-failure";
import { failure, type FormState, idle, success } from "@/app/_lib/form-state";
import { fileNameFromDisposition, saveDownload } from "@/app/_lib/save-download";

const FIELDS = ["passphrase"] as const;

/**
 * Settings › Backups › Download: the REST API makes the file (the session cookie is enough on the
 * same origin), so the dashboard and scripts share one way to back up; the page only saves it.
 */
export function DownloadBackupForm() {
  const [state, setState] = useState<FormState>(idle);
  const [pending, setPending] = useState(false);

  async function download(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const passphrase = new FormData(event.currentTarget).get("passphrase");
    setPending(true);
    try {
      const response = await fetch("/api/v1/backup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ passphrase }),
      });
      if (!response.ok) {
        setState(stateFromApiFailure(await jsonOrNull(response), FIELDS));
        return;
      }
      const fileName = fileNameFromDisposition(response.headers.get("content-disposition"), "gatekeeper.gkbackup");
      saveDownload(await response.blob(), fileName);
      setState(success(`Downloaded ${fileName}. Keep the passphrase with it: nothing opens the file without it.`));
    } catch {
      setState(failure(UNREACHABLE));
    } finally {
      setPending(false);
    }
  }

  const errors = state.fieldErrors ?? {};
  return (
    <form onSubmit={download} noValidate aria-labelledby="download-backup-title" className="space-y-4">
      <Field
        id="backup-download-passphrase"
        label="Passphrase"
        error={errors.passphrase}
        className="max-w-md"
        hint="At least 10 characters. The file holds every private key and is encrypted with it: without the passphrase nobody, you included, can open it."
      >
        <Input name="passphrase" type="password" autoComplete="new-password" />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending}>Download backup</SubmitButton>
        <FormResult state={state} testIds={{ error: "backup-download-error", success: "backup-downloaded" }} />
      </div>
    </form>
  );
}
