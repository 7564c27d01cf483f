"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Textarea } from "@/app/_components/ui/textarea";
import { splitSummary } from "@/app/_lib/form-state";
import { generateCertificate } from "../actions";
import type { CertificateFormState } from "../form-state";
import { CreatedNotice } from "./created-notice";
import { useFocusFirstError } from "./upload-form";

const initial: CertificateFormState = { status: "idle" };

export function SelfSignedForm() {
  const [state, dispatch, pending] = useActionState(generateCertificate, initial);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, state);
  const errors = state.fieldErrors ?? {};
  // Tracked only to say, live, how the field reads what is typed.
  const [domains, setDomains] = useState("");
  // A success empties the form (its key changes): the reading goes with it.
  useEffect(() => setDomains(""), [state.nonce]);
  const summary = splitSummary(domains, "names", ["domain", "domains"]);
  return (
    <>
      <CreatedNotice state={state} />
      <Alert tone="info" className="mb-5">
        Browsers do not trust self-signed certificates and show visitors a warning. Use one to test HTTPS, not for a public site.
      </Alert>
      <ActionForm key={state.nonce ?? 0} ref={formRef} action={dispatch} noValidate aria-label="Generate a self-signed certificate">
        <div className="space-y-5">
          <Field
            id="self-signed-domains"
            label="Domains"
            error={errors.domains}
            hint={
              <>
                One per line, or separated by commas or spaces, like example.com or *.example.com.
                {summary ? (
                  <span className="mt-1 block text-slate-700" data-testid="domains-reading">
                    {summary}
                  </span>
                ) : null}
              </>
            }
          >
            <Textarea
              name="domains"
              rows={4}
              mono
              placeholder={"example.com\nwww.example.com"}
              autoCapitalize="off"
              onChange={(event) => setDomains(event.currentTarget.value)}
            />
          </Field>
          <Field id="self-signed-name" label="Name" optional error={errors.name} hint="Shown in the dashboard. Defaults to the first domain.">
            <Input name="name" autoComplete="off" maxLength={100} className="max-w-md" />
          </Field>
        </div>
        {state.status === "error" && state.message ? (
          <Alert tone="error" className="mt-5" testId="form-error">
            {state.message}
          </Alert>
        ) : null}
        <div className="mt-6 flex justify-end">
          <SubmitButton pending={pending}>Generate certificate</SubmitButton>
        </div>
      </ActionForm>
    </>
  );
}
