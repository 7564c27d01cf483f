"use client";

import { useActionState, useState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Card } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle, type FormState } from "@/app/_lib/form-state";
import { PURGE_SCOPES, type PurgeScope } from "./cache-purge-form";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

/** "Purge cache": everything, the paths under a prefix, or one address, and how many stored answers went. */
export function CachePurgePanel({ action }: { action: Action }) {
  const [state, dispatch, pending] = useActionState(action, idle);
  const [scope, setScope] = useState<PurgeScope>("all");
  const errors = state.fieldErrors ?? {};
  // A field's own error is shown at it; the message above the button only says what is not about a field.
  const fieldError = Object.keys(errors).length > 0;
  return (
    <Card className="mb-6 p-5" aria-labelledby="cache-purge-title" data-testid="cache-purge">
      <h2 id="cache-purge-title" className="font-semibold text-slate-900">
        Purge cache
      </h2>
      <p className="mt-1 text-sm text-slate-500">
        After a change on your upstream, remove the stored answers so visitors get the new ones right away.
      </p>
      <ActionForm action={dispatch} noValidate aria-label="Purge cache" className="mt-4 space-y-4">
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">What to remove</legend>
          <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
            {PURGE_SCOPES.map((option) => (
              <label key={option.value} className="flex cursor-pointer items-center gap-2 text-sm text-slate-800">
                <input
                  type="radio"
                  name="scope"
                  value={option.value}
                  checked={scope === option.value}
                  onChange={() => setScope(option.value)}
                  className="size-4 shrink-0 accent-indigo-600"
                />
                {option.label}
              </label>
            ))}
          </div>
        </fieldset>
        {scope === "prefix" ? (
          <Field id="cache-purge-prefix" label="Path prefix" error={errors.prefix} hint={PURGE_SCOPES[1].hint}>
            <Input name="prefix" placeholder="/static/" autoComplete="off" autoCapitalize="off" spellCheck={false} className="font-mono" />
          </Field>
        ) : null}
        {scope === "url" ? (
          <Field id="cache-purge-url" label="Address" error={errors.url} hint={PURGE_SCOPES[2].hint}>
            <Input name="url" placeholder="/style.css" autoComplete="off" autoCapitalize="off" spellCheck={false} className="font-mono" />
          </Field>
        ) : null}
        {scope === "all" ? <p className="text-sm text-slate-500">{PURGE_SCOPES[0].hint}</p> : null}
        {!(state.status === "error" && fieldError) ? (
          <FormResult state={state} testIds={{ error: "cache-purge-error", success: "cache-purge-result" }} />
        ) : null}
        <SubmitButton pending={pending} variant="secondary">
          Purge cache
        </SubmitButton>
      </ActionForm>
    </Card>
  );
}
