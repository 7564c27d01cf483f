"use client";

import { useActionState } from "react";
import { waitText } from "@/lib/auth/wait-text";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle } from "@/app/_lib/form-state";
import { loginCodeAction } from "../actions";
import { useCountdown } from "../login-form";

export function CodeForm() {
  const [state, action, pending] = useActionState(loginCodeAction, idle);
  const errors = pending ? {} : (state.fieldErrors ?? {});
  const secondsLeft = useCountdown(state.retryAfterSeconds, state);
  let message = pending || state.status !== "error" ? undefined : state.message;
  if (!pending && secondsLeft !== null) {
    message = secondsLeft > 0 ? `Too many attempts: try again in ${waitText(secondsLeft)}.` : "You can try again now.";
  }
  return (
    <ActionForm action={action} className="mt-6 space-y-5" noValidate>
      <Field id="login-code" label="Code" hint="6 digits from the app, or a recovery code like abcde-fghij" error={errors.code}>
        <Input name="code" autoComplete="one-time-code" autoFocus spellCheck={false} autoCapitalize="none" />
      </Field>
      {message ? (
        <Alert tone={secondsLeft === 0 ? "info" : "error"} testId="login-error">
          {message}
        </Alert>
      ) : null}
      <SubmitButton pending={pending} className="w-full">
        Verify
      </SubmitButton>
    </ActionForm>
  );
}
