"use client";

import { useActionState, useEffect, useState } from "react";
import { waitText } from "@/lib/auth/wait-text";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle } from "@/app/_lib/form-state";
import { loginAction } from "./actions";

export function LoginForm() {
  const [state, action, pending] = useActionState(loginAction, idle);
  const errors = pending ? {} : (state.fieldErrors ?? {});
  const secondsLeft = useCountdown(state.retryAfterSeconds, state);
  // A new attempt clears the last answer: an old "Wrong email or password" must not sit beside it.
  let message = pending || state.status !== "error" ? undefined : state.message;
  if (!pending && secondsLeft !== null) {
    message = secondsLeft > 0 ? `Too many attempts: try again in ${waitText(secondsLeft)}.` : "You can try again now.";
  }
  return (
    <ActionForm action={action} className="mt-6 space-y-5" noValidate>
      <Field id="login-email" label="Email" error={errors.email}>
        <Input name="email" type="email" autoComplete="username" autoFocus />
      </Field>
      <Field id="login-password" label="Password" error={errors.password}>
        <Input name="password" type="password" autoComplete="current-password" />
      </Field>
      {message ? (
        <Alert tone={secondsLeft === 0 ? "info" : "error"} testId="login-error">
          {message}
        </Alert>
      ) : null}
      <SubmitButton pending={pending} className="w-full">
        Sign in
      </SubmitButton>
    </ActionForm>
  );
}

/** Seconds left of a throttled sign-in's wait, ticking down; null when the last answer set none. */
export function useCountdown(seconds: number | undefined, answer: object): number | null {
  // Kept with the answer it counts for, so a newer answer never shows an older countdown.
  const [left, setLeft] = useState<{ answer: object; seconds: number } | null>(null);
  useEffect(() => {
    if (seconds === undefined) return;
    const until = Date.now() + seconds * 1000;
    const tick = () => setLeft({ answer, seconds: Math.max(0, Math.ceil((until - Date.now()) / 1000)) });
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [seconds, answer]);
  if (seconds === undefined) return null;
  return left?.answer === answer ? left.seconds : seconds;
}
