"use client";

import { useActionState, useState } from "react";
import { ActionForm } from "../../../_components/action-form";
import { SubmitButton } from "../../../_components/submit-button";
import { Alert } from "../../../_components/ui/alert";
import { Button } from "../../../_components/ui/button";
import { Field } from "../../../_components/ui/field";
import { Input } from "../../../_components/ui/input";
import { createToken } from "./actions";
import type { TokenFormState } from "./form-state";

const initial: TokenFormState = { status: "idle" };

export function CreateTokenForm() {
  const [state, dispatch, pending] = useActionState(createToken, initial);
  return (
    <div className="space-y-4">
      {state.status === "success" && state.token ? <NewToken token={state.token} name={state.tokenName ?? ""} /> : null}
      <ActionForm key={state.nonce ?? 0} action={dispatch} noValidate aria-label="Create an API token" className="flex flex-wrap items-start gap-3">
        <Field
          id="token-name"
          label="Token name"
          error={state.fieldErrors?.name}
          hint="What will use it, e.g. “backup script” or “CI deploy”."
          className="min-w-64 flex-1"
        >
          <Input name="name" autoComplete="off" maxLength={100} />
        </Field>
        <SubmitButton pending={pending} className="sm:mt-7">
          Create token
        </SubmitButton>
      </ActionForm>
      {state.status === "error" && state.message ? (
        <Alert tone="error" testId="form-error">
          {state.message}
        </Alert>
      ) : null}
    </div>
  );
}

function NewToken({ token, name }: { token: string; name: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div role="status" data-testid="new-token" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
      <p className="text-sm font-semibold text-emerald-900">Token “{name}” created. Copy it now: it is shown only once.</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <label htmlFor="new-token-value" className="sr-only">
          New API token
        </label>
        <input
          id="new-token-value"
          readOnly
          value={token}
          onFocus={(event) => event.currentTarget.select()}
          className="h-10 min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-3 font-mono text-sm text-slate-900"
        />
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(token);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : "Copy token"}
        </Button>
      </div>
      {copied === "failed" ? <p className="mt-2 text-xs text-amber-800">Your browser blocked copying: select the text and copy it by hand.</p> : null}
      <p className="mt-3 text-xs text-emerald-900">
        Use it as <code className="rounded bg-white/70 px-1 font-mono">Authorization: Bearer &lt;token&gt;</code> with the{" "}
        <code className="rounded bg-white/70 px-1 font-mono">/api/v1</code> endpoints. Only a hash is stored: if it is lost,
        revoke it and create another.
      </p>
    </div>
  );
}
