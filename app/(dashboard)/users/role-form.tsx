"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Select } from "@/app/_components/ui/select";
import type { Role } from "@/lib/auth/roles";
import { type FormState, idle } from "@/app/_lib/form-state";
import { RoleOptions } from "./role-options";

/** A user's role with a button to change it; a refusal (the last admin) shows right here. */
export function RoleForm({
  action,
  email,
  role,
}: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  email: string;
  role: Role;
}) {
  const [state, dispatch, pending] = useActionState(action, idle);
  const id = `role-${email.replace(/[^a-z0-9]/gi, "-")}`;
  return (
    <div className="flex flex-col items-start gap-2">
      <ActionForm action={dispatch} aria-label={`Role of ${email}`} className="flex items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Role of {email}
        </label>
        <Select id={id} name="role" defaultValue={role} key={`${role}-${state.nonce ?? 0}`} className="h-9 w-32">
          <RoleOptions />
        </Select>
        <SubmitButton variant="secondary" size="sm" pending={pending} aria-label={`Change role of ${email}`}>
          Change role
        </SubmitButton>
      </ActionForm>
      {state.status === "error" && state.message ? (
        <Alert tone="error" className="max-w-md" testId="row-error">
          {state.message}
        </Alert>
      ) : null}
      {state.status === "success" && state.message ? (
        <p role="status" className="text-sm text-emerald-700">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
