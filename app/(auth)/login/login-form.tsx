"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle } from "@/app/_lib/form-state";
import { loginAction } from "./actions";

export function LoginForm() {
  const [state, action, pending] = useActionState(loginAction, idle);
  const errors = state.fieldErrors ?? {};
  return (
    <ActionForm action={action} className="mt-6 space-y-5" noValidate>
      <Field id="login-email" label="Email" error={errors.email}>
        <Input name="email" type="email" autoComplete="username" autoFocus />
      </Field>
      <Field id="login-password" label="Password" error={errors.password}>
        <Input name="password" type="password" autoComplete="current-password" />
      </Field>
      {state.status === "error" && state.message ? (
        <Alert tone="error" testId="login-error">
          {state.message}
        </Alert>
      ) : null}
      <SubmitButton pending={pending} className="w-full">
        Sign in
      </SubmitButton>
    </ActionForm>
  );
}
