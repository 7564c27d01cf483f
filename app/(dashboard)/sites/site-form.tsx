"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState, type ReactNode } from "react";
import { uncoveredHostnames } from "../../../lib/certs/covers";
import { ActionForm } from "../../_components/action-form";
import { expiryText } from "../../_components/expiry-bar";
import { SubmitButton } from "../../_components/submit-button";
import { Alert } from "../../_components/ui/alert";
import { buttonClasses } from "../../_components/ui/button";
import { Card } from "../../_components/ui/card";
import { Field } from "../../_components/ui/field";
import { Input } from "../../_components/ui/input";
import { Select } from "../../_components/ui/select";
import { SwitchField } from "../../_components/ui/switch";
import { Textarea } from "../../_components/ui/textarea";
import { idle, splitLines, type FormState } from "../../_lib/form-state";
import type { CertificateChoice, SiteFormValues } from "./form-values";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

export function SiteForm({
  action,
  initial,
  version = "new",
  certificates,
  submitLabel,
  cancelHref,
}: {
  action: Action;
  initial: SiteFormValues;
  /** Changes whenever the saved site changes (its updatedAt), also from outside this form. */
  version?: string;
  certificates: CertificateChoice[];
  submitLabel: string;
  cancelHref: string;
}) {
  const [state, dispatch, pending] = useActionState(action, idle);
  const formRef = useRef<HTMLFormElement>(null);

  // The fields show saved values again when the site changed (a save here, Disable/Enable, another
  // tab) but never while the user has unsaved edits: those are not thrown away.
  const [dirty, setDirty] = useState(false);
  const [fieldsVersion, setFieldsVersion] = useState(version);
  const [savedNonce, setSavedNonce] = useState(state.nonce);
  if (state.nonce !== savedNonce) {
    setSavedNonce(state.nonce);
    setDirty(false);
    setFieldsVersion(version);
  } else if (version !== fieldsVersion && !dirty) {
    setFieldsVersion(version);
  }

  useEffect(() => {
    if (state.status !== "error") return;
    const firstInvalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    firstInvalid?.focus();
  }, [state]);

  return (
    <ActionForm ref={formRef} action={dispatch} noValidate aria-label="Site settings" onInput={() => setDirty(true)}>
      <Card className="divide-y divide-slate-100">
        {/* Re-read saved values after each successful save (the server normalizes them). */}
        <SiteFields key={`${state.nonce ?? 0}:${fieldsVersion}`} initial={initial} certificates={certificates} errors={state.fieldErrors ?? {}} />
        <div className="flex flex-wrap items-center justify-end gap-3 bg-slate-50/70 px-5 py-4 sm:px-6">
          <div className="mr-auto min-w-0 flex-1">
            {state.status === "error" && state.message ? (
              <Alert tone="error" testId="form-error">
                {state.message}
              </Alert>
            ) : null}
            {state.status === "success" && state.message ? (
              <Alert tone="success" testId="form-success">
                {state.message}
              </Alert>
            ) : null}
          </div>
          <Link href={cancelHref} className={buttonClasses("secondary")}>
            Cancel
          </Link>
          <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
        </div>
      </Card>
    </ActionForm>
  );
}

function Section({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section className="grid gap-4 px-5 py-6 sm:px-6 md:grid-cols-3 md:gap-8">
      <div>
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        <p className="mt-1 text-sm text-slate-500">{description}</p>
      </div>
      <div className="space-y-5 md:col-span-2">{children}</div>
    </section>
  );
}

function SiteFields({
  initial,
  certificates,
  errors,
}: {
  initial: SiteFormValues;
  certificates: CertificateChoice[];
  errors: Record<string, string[]>;
}) {
  // Tracked only to warn, live, when the chosen certificate does not cover every hostname.
  const [hostnames, setHostnames] = useState(initial.hostnames);
  const [certificateId, setCertificateId] = useState(initial.certificateId);
  // Enabled follows Disable/Enable site even while other fields hold unsaved edits, so a save
  // never silently turns a site back on.
  const [enabled, setEnabled] = useState(initial.enabled);
  const [savedEnabled, setSavedEnabled] = useState(initial.enabled);
  if (initial.enabled !== savedEnabled) {
    setSavedEnabled(initial.enabled);
    setEnabled(initial.enabled);
  }
  const chosen = certificates.find((certificate) => certificate.id === certificateId);
  const uncovered = chosen ? uncoveredHostnames(chosen.domains, splitLines(hostnames, { splitWords: true }).items) : [];
  const knownCertificate = certificateId === "" || chosen !== undefined;

  return (
    <>
      <Section title="Site" description="A name for you; visitors never see it.">
        <Field id="site-name" label="Site name" error={errors.name} hint="For example “Company blog” or “Grafana”.">
          <Input name="name" defaultValue={initial.name} autoComplete="off" maxLength={100} />
        </Field>
        <SwitchField
          id="site-enabled"
          name="enabled"
          label="Enabled"
          description="When off, the proxy stops serving this site's hostnames."
          checked={enabled}
          onChange={setEnabled}
          error={errors.enabled}
        />
      </Section>

      <Section
        title="Addresses"
        description="Which web addresses this site answers, and which of your servers does the work behind it."
      >
        <Field
          id="site-hostnames"
          label="Hostnames"
          error={errors.hostnames}
          hint="One per line: example.com or *.example.com. Point their DNS at this server."
        >
          <Textarea
            name="hostnames"
            rows={3}
            mono
            defaultValue={initial.hostnames}
            onChange={(event) => setHostnames(event.currentTarget.value)}
            placeholder={"example.com\nwww.example.com"}
            autoCapitalize="off"
          />
        </Field>
        <Field
          id="site-upstreams"
          label="Upstream servers"
          error={errors.upstreams}
          hint="One per line, like http://10.0.0.5:8080. With several, traffic is shared between them."
        >
          <Textarea
            name="upstreams"
            rows={3}
            mono
            defaultValue={initial.upstreams}
            placeholder="http://10.0.0.5:8080"
            autoCapitalize="off"
          />
        </Field>
      </Section>

      <Section title="HTTPS" description="Serve the site over an encrypted connection with a certificate for its hostnames.">
        <Field
          id="site-certificate"
          label="HTTPS certificate"
          error={errors.certificateId}
          hint={
            <>
              {chosen ? <>Covers {chosen.domains.join(", ")}. </> : null}
              <Link href="/certificates/new" className="text-indigo-700 hover:underline">
                Add a certificate
              </Link>{" "}
              if yours is not in the list.
            </>
          }
        >
          <Select name="certificateId" defaultValue={initial.certificateId} onChange={(event) => setCertificateId(event.currentTarget.value)}>
            <option value="">None (HTTP only)</option>
            {!knownCertificate ? <option value={certificateId}>Unknown certificate</option> : null}
            {certificates.map((certificate) => (
              <option key={certificate.id} value={certificate.id}>
                {certificate.name} · {expiryText(certificate.daysLeft)}
                {certificate.source === "self-signed" ? " · self-signed" : ""}
              </option>
            ))}
          </Select>
        </Field>
        {uncovered.length > 0 ? (
          <Alert tone="warning" testId="certificate-warning" title="This certificate does not cover every hostname">
            <p>
              Not covered: <span className="font-mono">{uncovered.join(", ")}</span>. Visitors to{" "}
              {uncovered.length === 1 ? "it" : "them"} will see a browser warning. You can still save.
            </p>
          </Alert>
        ) : null}
        <div className="divide-y divide-slate-100">
          <SwitchField
            id="site-force-https"
            name="forceHttps"
            label="Force HTTPS"
            description="Send visitors who type http:// to the https:// address. Needs a certificate."
            defaultChecked={initial.forceHttps}
            error={errors.forceHttps}
          />
          <SwitchField
            id="site-hsts"
            name="hsts"
            label="HSTS"
            description="Tell browsers to only ever use HTTPS for these hostnames. Needs a certificate; hard to undo."
            defaultChecked={initial.hsts}
            error={errors.hsts}
          />
        </div>
      </Section>

      <Section title="Connection" description="How the proxy talks to your upstream servers. The defaults suit most apps.">
        <div className="divide-y divide-slate-100">
          <SwitchField
            id="site-websockets"
            name="websockets"
            label="Websockets"
            description="Let live connections through (chat, notifications, live dashboards)."
            defaultChecked={initial.websockets}
            error={errors.websockets}
          />
          <SwitchField
            id="site-preserve-host"
            name="preserveHost"
            label="Keep original Host header"
            description="Tell the upstream which hostname the visitor asked for. Turn off if it only answers to its own name."
            defaultChecked={initial.preserveHost}
            error={errors.preserveHost}
          />
          <SwitchField
            id="site-verify-upstream-tls"
            name="verifyUpstreamTls"
            label="Verify upstream certificate"
            description="For https:// upstreams, check their certificate. Turn off only for internal servers with self-signed ones."
            defaultChecked={initial.verifyUpstreamTls}
            error={errors.verifyUpstreamTls}
          />
        </div>
      </Section>
    </>
  );
}
