"use client";

import { useActionState, useEffect, useRef, type RefObject } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Textarea } from "@/app/_components/ui/textarea";
import { uploadCertificate } from "../actions";
import type { CertificateFormState } from "../form-state";
import { CreatedNotice } from "./created-notice";
import { PemFileButton } from "./pem-file-button";

const initial: CertificateFormState = { status: "idle" };

export function UploadForm() {
  const [state, dispatch, pending] = useActionState(uploadCertificate, initial);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, state);
  return (
    <>
      <CreatedNotice state={state} />
      {/* Cleared after each upload, so a private key does not linger on the screen. */}
      <ActionForm key={state.nonce ?? 0} ref={formRef} action={dispatch} noValidate aria-label="Upload a certificate">
        <UploadFields errors={state.fieldErrors ?? {}} />
        {state.status === "error" && state.message ? (
          <Alert tone="error" className="mt-5" testId="form-error">
            {state.message}
          </Alert>
        ) : null}
        <div className="mt-6 flex justify-end">
          <SubmitButton pending={pending}>Upload certificate</SubmitButton>
        </div>
      </ActionForm>
    </>
  );
}

function UploadFields({ errors }: { errors: Record<string, string[]> }) {
  const certificate = useRef<HTMLTextAreaElement>(null);
  const privateKey = useRef<HTMLTextAreaElement>(null);
  const chain = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="space-y-5">
      <Field id="upload-name" label="Name" optional error={errors.name} hint="Shown in the dashboard. Defaults to the first domain.">
        <Input name="name" autoComplete="off" maxLength={100} className="max-w-md" />
      </Field>
      <Field
        id="upload-certificate"
        label="Certificate (PEM)"
        error={errors.certificatePem}
        hint="The certificate for your domains: text that starts with -----BEGIN CERTIFICATE-----. A full-chain file works too."
        labelAside={<PemFileButton label="Certificate file" target={certificate} />}
      >
        <Textarea ref={certificate} name="certificatePem" rows={6} mono placeholder="-----BEGIN CERTIFICATE-----" />
      </Field>
      <Field
        id="upload-private-key"
        label="Private key (PEM)"
        error={errors.privateKeyPem}
        hint="Starts with -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY). It is stored encrypted on this server and never shown again."
        labelAside={<PemFileButton label="Private key file" target={privateKey} accept=".pem,.key,.txt" />}
      >
        <Textarea ref={privateKey} name="privateKeyPem" rows={6} mono autoComplete="off" placeholder="-----BEGIN PRIVATE KEY-----" />
      </Field>
      <Field
        id="upload-chain"
        label="Chain (PEM)"
        optional
        error={errors.chainPem}
        hint="The intermediate certificates, if your provider sent them as a separate file (often ca-bundle or chain.pem)."
        labelAside={<PemFileButton label="Chain file" target={chain} />}
      >
        <Textarea ref={chain} name="chainPem" rows={4} mono placeholder="-----BEGIN CERTIFICATE-----" />
      </Field>
    </div>
  );
}

export function useFocusFirstError(formRef: RefObject<HTMLFormElement | null>, state: { status: string }) {
  useEffect(() => {
    if (state.status !== "error") return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, state]);
}
