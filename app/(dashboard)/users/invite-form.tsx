"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { ShownOnceToken } from "@/app/_components/shown-once-token";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { inviteAction } from "./actions";
import type { InviteFormState } from "./form-state";
import { RoleOptions } from "./role-options";

const initial: InviteFormState = { status: "idle" };

export function InviteForm() {
  const [state, dispatch, pending] = useActionState(inviteAction, initial);
  return (
    <div className="space-y-4">
      {state.status === "success" && state.inviteUrl ? (
        <ShownOnceToken
          token={state.inviteUrl}
          title={<>{state.email} is invited. Copy the link now and hand it over: it is shown only once.</>}
          inputId="new-invite-link"
          inputLabel="Invite link"
          testId="new-invite"
          copyLabel="Copy link"
        >
          <p className="mt-3 text-xs text-emerald-900">
            Nothing is e-mailed. Whoever opens the link within 7 days chooses a password and is signed in; after that the link no longer works.
          </p>
        </ShownOnceToken>
      ) : null}
      <ActionForm key={state.nonce ?? 0} action={dispatch} noValidate aria-label="Invite a user" className="flex flex-wrap items-start gap-3">
        <Field id="invite-email" label="Email" error={state.fieldErrors?.email} className="min-w-0 flex-1 basis-56">
          <Input name="email" type="email" autoComplete="off" maxLength={254} />
        </Field>
        <Field id="invite-role" label="Role" error={state.fieldErrors?.role} className="w-40">
          <Select name="role" defaultValue="operator">
            <RoleOptions />
          </Select>
        </Field>
        <SubmitButton pending={pending} className="sm:mt-7">
          Invite
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
