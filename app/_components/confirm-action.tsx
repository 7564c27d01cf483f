"use client";

import { useActionState, useState } from "react";
import type { FormState } from "../_lib/form-state";
import { idle } from "../_lib/form-state";
import { ActionForm } from "./action-form";
import { useMayChange } from "./role-scope";
import { SubmitButton } from "./submit-button";
import { Alert } from "./ui/alert";
import { Button, type ButtonVariant } from "./ui/button";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

/**
 * A destructive button that asks first, inline (no browser dialog): "Delete site" shows the
 * consequence with "Confirm delete" and "Cancel". A refusal (e.g. certificate in use) is shown here,
 * once the bar has closed.
 */
export function ConfirmAction({
  action,
  label,
  confirmLabel,
  question,
  ariaLabel,
  size = "md",
  showSuccess = false,
}: {
  action: Action;
  label: string;
  confirmLabel: string;
  question: string;
  ariaLabel?: string;
  size?: "sm" | "md";
  /** Also show the answer when it worked (where the row stays, e.g. an undo). */
  showSuccess?: boolean;
}) {
  const [state, dispatch, pending] = useActionState(action, idle);
  const [asking, setAsking] = useState(false);
  // Any answer (done or refused) ends the question: the bar closes and the answer shows below.
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    setAsking(false);
  }
  const mayChange = useMayChange();
  if (!mayChange) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      {asking ? (
        <ActionForm
          action={dispatch}
          role="alertdialog"
          aria-label={question}
          className="flex flex-wrap items-center justify-end gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2"
        >
          <span className="text-sm text-red-900">{question}</span>
          <Button variant="secondary" size="sm" onClick={() => setAsking(false)} disabled={pending}>
            Cancel
          </Button>
          <SubmitButton variant="danger" size="sm" pending={pending} autoFocus>
            {confirmLabel}
          </SubmitButton>
        </ActionForm>
      ) : (
        <Button variant="danger-outline" size={size} onClick={() => setAsking(true)} aria-label={ariaLabel}>
          {label}
        </Button>
      )}
      {state.status === "error" && state.message ? (
        <Alert tone="error" className="max-w-md" testId="action-error">
          {state.message}
        </Alert>
      ) : null}
      {showSuccess && state.status === "success" && state.message ? (
        <Alert tone="success" className="max-w-md" testId="action-done">
          {state.message}
        </Alert>
      ) : null}
    </div>
  );
}

/** A one-click action (Disable site / Enable site) that reports a refusal next to itself. */
export function ActionButton({
  action,
  label,
  variant = "secondary",
  size = "md",
}: {
  action: Action;
  label: string;
  variant?: ButtonVariant;
  size?: "sm" | "md";
}) {
  const [state, dispatch, pending] = useActionState(action, idle);
  const mayChange = useMayChange();
  if (!mayChange) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <ActionForm action={dispatch}>
        <SubmitButton variant={variant} size={size} pending={pending}>
          {label}
        </SubmitButton>
      </ActionForm>
      {state.status === "error" && state.message ? (
        <Alert tone="error" className="max-w-md" testId="action-error">
          {state.message}
        </Alert>
      ) : null}
    </div>
  );
}
