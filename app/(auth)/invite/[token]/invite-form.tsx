"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle } from "@/app/_lib/form-state";
import { acceptInviteAction } from "./actions";

export function InviteForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(acceptInviteAction.bind(null, token), idle);
  const errors = state.fieldErrors ?? {};
  return (
    <ActionForm action={action} className="mt-6 space-y-5" noValidate>
      <Field id="invite-password" label="Password" error={errors.password} hint={errors.password ? undefined : "At least 10 characters."}>
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field id="invite-confirm-password" label="Confirm password" error={errors.confirmPassword}>
        <Input name="confirmPassword" type="password" autoComplete="new-password" />
      </Field>
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <SubmitButton pending={pending} className="w-full">
        Set password and sign in
      </SubmitButton>
    </ActionForm>
  );
}
