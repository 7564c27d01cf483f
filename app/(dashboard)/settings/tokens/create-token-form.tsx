"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { ShownOnceToken } from "@/app/_components/shown-once-token";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
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
  return (
    <ShownOnceToken
      token={token}
      title={<>Token “{name}” created. Copy it now: it is shown only once.</>}
      inputId="new-token-value"
      inputLabel="New API token"
      testId="new-token"
    >
      <p className="mt-3 text-xs text-emerald-900">
        Use it as <code className="rounded bg-surface/70 px-1 font-mono">Authorization: Bearer &lt;token&gt;</code> with the{" "}
        <code className="rounded bg-surface/70 px-1 font-mono">/api/v1</code> endpoints. Only a hash is stored: if it is lost, revoke it and create
        another.
      </p>
    </ShownOnceToken>
  );
}
