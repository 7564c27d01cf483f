"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { FormResult } from "@/app/_components/form-result";
import { Spinner, SubmitButton } from "@/app/_components/submit-button";
import { Button } from "@/app/_components/ui/button";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { jsonOrNull, stateFromApiFailure, UNREACHABLE } from "@/app/_lib/api-failure";
import { failure, type FormState, idle, success } from "@/app/_lib/form-state";
import type { RestoreChanges } from "@/app/_lib/restore-view";
import { RestorePreview } from "./restore-preview";

const FIELDS = ["file", "passphrase"] as const;

/**
 * Settings › Backups › Restore: a preview first, then "Restore now" with the same file and
 * passphrase. It posts to the REST API rather than a server action: a backup with many
 * certificates passes the server actions' 2 MB limit, and the API already says what is wrong.
 */
export function RestoreForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, setState] = useState<FormState>(idle);
  const [preview, setPreview] = useState<RestoreChanges | null>(null);
  const [pending, setPending] = useState<"preview" | "restore" | null>(null);

  async function send(dryRun: boolean) {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    body.set("dryRun", String(dryRun));
    setPending(dryRun ? "preview" : "restore");
    try {
      const response = await fetch("/api/v1/restore", { method: "POST", body });
      const answer = await jsonOrNull(response);
      if (!response.ok) {
        setState(stateFromApiFailure(answer, FIELDS));
        setPreview(null);
        return;
      }
      const { changes } = answer as { changes: RestoreChanges };
      if (dryRun) {
        setPreview(changes);
        setState(idle);
        return;
      }
      setPreview(null);
      formRef.current?.reset();
      setState(
        success(
          "Restored: the proxy switches to the restored configuration within a few seconds. The state before was saved in the data directory's backups folder.",
        ),
      );
      // The schedule and everything else on the dashboard may have changed with the restore.
      router.refresh();
    } catch {
      setState(failure(UNREACHABLE));
    } finally {
      setPending(null);
    }
  }

  // A preview speaks of the file and passphrase it was made with: any change makes it stale.
  // Errors stay until the next try, as in every other form.
  const forget = () => {
    setPreview(null);
    setState((last) => (last.status === "success" ? idle : last));
  };

  const errors = state.fieldErrors ?? {};
  return (
    <form
      ref={formRef}
      onSubmit={(event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        void send(true);
      }}
      onChange={forget}
      noValidate
      aria-labelledby="restore-title"
      className="space-y-4"
    >
      <Field id="restore-file" label="Backup file" error={errors.file} className="max-w-md" hint="A .gkbackup file from this or another Gatekeeper.">
        <Input
          name="file"
          type="file"
          accept=".gkbackup"
          className="h-auto py-1.5 file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-sm file:text-slate-800"
        />
      </Field>
      <Field id="restore-passphrase" label="Passphrase" error={errors.passphrase} className="max-w-md" hint="The one the backup was made with.">
        <Input name="passphrase" type="password" autoComplete="off" />
      </Field>
      {preview ? <RestorePreview changes={preview} /> : null}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton variant={preview ? "secondary" : "primary"} pending={pending === "preview"} disabled={pending !== null}>
          Preview
        </SubmitButton>
        {preview ? (
          <Button variant="danger" onClick={() => void send(false)} disabled={pending !== null} aria-busy={pending === "restore" || undefined}>
            {pending === "restore" ? <Spinner /> : null}
            Restore now
          </Button>
        ) : null}
        <FormResult state={state} testIds={{ error: "restore-error", success: "restore-done" }} />
      </div>
    </form>
  );
}
