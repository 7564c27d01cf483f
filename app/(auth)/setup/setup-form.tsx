"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle } from "@/app/_lib/form-state";
import { setupAction } from "./actions";

// Hidden while the password's error says the same thing.
const PASSWORD_HINT = "At least 10 characters.";

export function SetupForm() {
  const [state, action, pending] = useActionState(setupAction, idle);
  const errors = state.fieldErrors ?? {};
  return (
    <ActionForm action={action} className="mt-6 space-y-5" noValidate>
      <Field
        id="setup-code"
        label="Setup code"
        error={errors.code}
        hint={
          <>
            Printed in the log when you run <code className="rounded bg-slate-100 px-1 font-mono">npm start</code>, like{" "}
            <span className="font-mono">ABCD-EFGH-JKLM</span>. Each restart prints a new one.
          </>
        }
      >
        <Input name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} className="font-mono tracking-wider" />
      </Field>
      <Field id="setup-email" label="Email" error={errors.email}>
        <Input name="email" type="email" autoComplete="username" />
      </Field>
      <Field id="setup-password" label="Password" error={errors.password} hint={errors.password ? undefined : PASSWORD_HINT}>
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field id="setup-confirm-password" label="Confirm password" error={errors.confirmPassword}>
        <Input name="confirmPassword" type="password" autoComplete="new-password" />
      </Field>
      {state.status === "error" && state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <SubmitButton pending={pending} className="w-full">
        Create admin account
      </SubmitButton>
    </ActionForm>
  );
}
