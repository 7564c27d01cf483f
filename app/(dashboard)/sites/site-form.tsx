"use client";

import Link from "next/link";
import { useState } from "react";
import { uncoveredHostnames } from "@/lib/certs/covers";
import { ActionForm } from "@/app/_components/action-form";
import { expiryText } from "@/app/_components/expiry-bar";
import { Alert } from "@/app/_components/ui/alert";
import { Card } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { Textarea } from "@/app/_components/ui/textarea";
import { splitLines, splitSummary } from "@/app/_lib/form-state";
import { POLICY_OPTIONS, POLICY_TEXT } from "@/app/_lib/load-balancing";
import { parseUpstreamLines } from "@/app/_lib/upstream-lines";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { Section } from "./form-section";
import type { CertificateChoice, HealthCheckValues, SiteFormValues } from "./form-values";
import { HstsField } from "./hsts-field";
import { SecuritySection } from "./security-section";
import { FormFooter } from "@/app/_components/form-footer";
import { useEditForm, type FormAction } from "@/app/_lib/use-edit-form";
import { displayHostname } from "@/lib/net/display-hostname";

export function SiteForm({
  action,
  initial,
  version = "new",
  certificates,
  accessLists,
  submitLabel,
  cancelHref,
}: {
  action: FormAction;
  initial: SiteFormValues;
  /** Changes whenever the saved site changes (its updatedAt), also from outside this form. */
  version?: string;
  certificates: CertificateChoice[];
  accessLists: AccessListOption[];
  submitLabel: string;
  cancelHref: string;
}) {
  const { state, dispatch, pending, formRef, fieldsKey, markDirty } = useEditForm(action, version);

  // Whether the health check settings are unfolded lives here, not in the fields, so a save (which
  // re-reads the saved values) does not fold them away under the user. A problem inside unfolds them.
  const [checksOpen, setChecksOpen] = useState(false);
  const [seenState, setSeenState] = useState(state);
  if (state !== seenState) {
    setSeenState(state);
    if (HEALTH_FIELDS.some((name) => (state.fieldErrors?.[name]?.length ?? 0) > 0)) setChecksOpen(true);
  }

  return (
    <ActionForm ref={formRef} action={dispatch} noValidate aria-label="Site settings" onInput={markDirty}>
      <Card className="divide-y divide-slate-100">
        {/* Re-read saved values after each successful save (the server normalizes them). */}
        <SiteFields
          key={fieldsKey}
          initial={initial}
          certificates={certificates}
          accessLists={accessLists}
          errors={state.fieldErrors ?? {}}
          checksOpen={checksOpen}
          onChecksOpen={setChecksOpen}
        />
        <FormFooter state={state} cancelHref={cancelHref} pending={pending} submitLabel={submitLabel} />
      </Card>
    </ActionForm>
  );
}

function SiteFields({
  initial,
  certificates,
  accessLists,
  errors,
  checksOpen,
  onChecksOpen,
}: {
  initial: SiteFormValues;
  certificates: CertificateChoice[];
  accessLists: AccessListOption[];
  errors: Record<string, string[]>;
  checksOpen: boolean;
  onChecksOpen: (open: boolean) => void;
}) {
  // Tracked only to warn, live, when the chosen certificate does not cover every hostname.
  const [hostnames, setHostnames] = useState(initial.hostnames);
  // Tracked to explain the chosen policy against the upstream lines (weights, order) as they are typed.
  const [upstreams, setUpstreams] = useState(initial.upstreams);
  const [policy, setPolicy] = useState<LoadBalancingPolicy>(initial.policy);
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
  const hostnamesRead = splitSummary(hostnames, "names", ["hostname", "hostnames"]);
  const uncovered = chosen ? uncoveredHostnames(chosen.domains, splitLines(hostnames, { kind: "names" }).items) : [];
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

      <Section title="Addresses" description="Which web addresses this site answers, and which of your servers does the work behind it.">
        <Field
          id="site-hostnames"
          label="Hostnames"
          error={errors.hostnames}
          hint={
            <>
              One per line, or separated by commas or spaces: example.com or *.example.com. Point their DNS at this server.
              {hostnamesRead ? (
                <span className="mt-1 block text-slate-700" data-testid="hostnames-reading">
                  {hostnamesRead}
                </span>
              ) : null}
            </>
          }
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
          hint={
            <>
              One per line, like http://10.0.0.5:8080. With several, traffic is shared between them (see Load balancing). To give a server a bigger
              share, add a weight after it: <span className="font-mono">http://10.0.0.6:8080 weight=3</span>.
            </>
          }
        >
          <Textarea
            name="upstreams"
            rows={3}
            mono
            defaultValue={initial.upstreams}
            onChange={(event) => setUpstreams(event.currentTarget.value)}
            placeholder={"http://10.0.0.5:8080\nhttp://10.0.0.6:8080 weight=3"}
            autoCapitalize="off"
          />
        </Field>
      </Section>

      <LoadBalancingSection policy={policy} onPolicy={setPolicy} upstreams={upstreams} error={errors.policy} />

      <HealthCheckSection initial={initial} errors={errors} open={checksOpen} onOpen={onChecksOpen} />

      <Section title="HTTPS" description="Serve the site over an encrypted connection with a certificate for its hostnames.">
        <Field
          id="site-certificate"
          label="HTTPS certificate"
          error={errors.certificateId}
          hint={
            <>
              {chosen ? <>Covers {chosen.domains.map(displayHostname).join(", ")}. </> : null}
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
              Not covered: <span className="font-mono">{uncovered.map(displayHostname).join(", ")}</span>. Visitors to{" "}
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
          <HstsField initial={initial} errors={errors} />
        </div>
      </Section>

      <SecuritySection initial={initial} accessLists={accessLists} errors={errors} />

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
          <SwitchField
            id="site-allow-link-local-upstreams"
            name="allowLinkLocalUpstreams"
            label="Allow link-local upstreams"
            description="Let upstreams use 169.254.x.x or fe80:: addresses. Cloud servers get their credentials from such an address (the metadata service): leave off unless your app really lives there."
            defaultChecked={initial.allowLinkLocalUpstreams}
            error={errors.allowLinkLocalUpstreams}
          />
        </div>
      </Section>
    </>
  );
}

function LoadBalancingSection({
  policy,
  onPolicy,
  upstreams,
  error,
}: {
  policy: LoadBalancingPolicy;
  onPolicy: (policy: LoadBalancingPolicy) => void;
  upstreams: string;
  error?: string[];
}) {
  const lines = parseUpstreamLines(upstreams).items;
  const weighted = lines.some((line) => line.weight !== undefined && line.weight !== 1);
  return (
    <Section title="Load balancing" description="How visitors are shared out when a site has more than one upstream server.">
      <Field
        id="site-policy"
        label="Load balancing"
        error={error}
        hint={
          <>
            {POLICY_TEXT[policy]?.hint}
            {lines.length < 2 ? " With a single upstream server this changes nothing yet." : null}
          </>
        }
      >
        <Select name="policy" defaultValue={policy} onChange={(event) => onPolicy(event.currentTarget.value as LoadBalancingPolicy)}>
          {POLICY_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      {weighted && policy !== "weighted" ? (
        <p data-testid="weights-unused" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your upstream servers have weights, but only “Weighted” uses them. You can still save.
        </p>
      ) : null}
    </Section>
  );
}

const HEALTH_FIELDS = ["hcEnabled", "hcPath", "hcInterval", "hcTimeout", "hcExpectedStatus", "hcHealthy", "hcUnhealthy"] as const;

function HealthCheckSection({
  initial,
  errors,
  open,
  onOpen,
}: {
  initial: SiteFormValues;
  errors: Record<string, string[]>;
  /** Folded by default (the defaults just work); SiteForm unfolds it when a save finds a problem inside. */
  open: boolean;
  onOpen: (open: boolean) => void;
}) {
  const [values, setValues] = useState<HealthCheckValues>(() => ({
    hcEnabled: initial.hcEnabled,
    hcPath: initial.hcPath,
    hcInterval: initial.hcInterval,
    hcTimeout: initial.hcTimeout,
    hcExpectedStatus: initial.hcExpectedStatus,
    hcHealthy: initial.hcHealthy,
    hcUnhealthy: initial.hcUnhealthy,
  }));
  const hasErrors = HEALTH_FIELDS.some((name) => (errors[name]?.length ?? 0) > 0);
  const set = (name: keyof HealthCheckValues) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setValues((current) => ({ ...current, [name]: value }));
  };

  return (
    <Section
      id="health-checks"
      title="Health checks"
      description="The proxy asks each upstream server regularly whether it is well, stops sending visitors to one that does not answer, and shows you which is down."
    >
      <div>
        <SwitchField
          id="site-hc-enabled"
          name="hcEnabled"
          label="Health checks"
          description={
            values.hcEnabled
              ? "On: a server that fails its checks gets no visitors until it answers again."
              : "Off: nobody checks your servers, so a dead one still gets visitors and health shows grey."
          }
          checked={values.hcEnabled}
          onChange={(enabled) => setValues((current) => ({ ...current, hcEnabled: enabled }))}
          error={errors.hcEnabled}
        />
        <details
          open={open}
          onToggle={(event) => onOpen(event.currentTarget.open)}
          className="group rounded-lg border border-slate-200 bg-slate-50/50"
        >
          <summary
            data-testid="health-check-settings"
            className="flex cursor-pointer list-none items-start gap-2 px-4 py-3 text-sm select-none [&::-webkit-details-marker]:hidden"
          >
            <svg viewBox="0 0 16 16" aria-hidden="true" className="mt-0.5 size-4 shrink-0 fill-slate-500 transition-transform group-open:rotate-90">
              <path d="M6 3.5 10.5 8 6 12.5V3.5Z" />
            </svg>
            <span className="min-w-0">
              <span className="font-medium text-slate-800">Check settings</span>
              {hasErrors ? <span className="ml-2 font-medium text-red-700">· needs attention</span> : null}
              <span data-testid="health-check-summary" className="block text-slate-500">
                {checkSummary(values)}
              </span>
            </span>
          </summary>
          <div className="grid gap-5 border-t border-slate-200 px-4 py-4 sm:grid-cols-2">
            <Field
              id="site-hc-path"
              label="Health check path"
              error={errors.hcPath}
              hint="The page the proxy asks for, like /health. / works for most apps."
            >
              <Input
                name="hcPath"
                defaultValue={initial.hcPath}
                onChange={set("hcPath")}
                className="font-mono"
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
              />
            </Field>
            <Field
              id="site-hc-expected-status"
              label="Expected status"
              error={errors.hcExpectedStatus}
              hint="Answers that mean “healthy”: a code like 200, or a range like 200-399 (success or redirect)."
            >
              <Input
                name="hcExpectedStatus"
                defaultValue={initial.hcExpectedStatus}
                onChange={set("hcExpectedStatus")}
                className="font-mono"
                autoComplete="off"
              />
            </Field>
            <Field id="site-hc-interval" label="Check interval (seconds)" error={errors.hcInterval} hint="How often each server is asked.">
              <Input
                name="hcInterval"
                type="number"
                inputMode="numeric"
                min={1}
                max={3600}
                step={1}
                defaultValue={initial.hcInterval}
                onChange={set("hcInterval")}
              />
            </Field>
            <Field
              id="site-hc-timeout"
              label="Check timeout (seconds)"
              error={errors.hcTimeout}
              hint="How long to wait for an answer before the check counts as failed."
            >
              <Input
                name="hcTimeout"
                type="number"
                inputMode="numeric"
                min={1}
                max={60}
                step={1}
                defaultValue={initial.hcTimeout}
                onChange={set("hcTimeout")}
              />
            </Field>
            <Field
              id="site-hc-healthy"
              label="Healthy after"
              error={errors.hcHealthy}
              hint="Good checks in a row before a server gets visitors again."
            >
              <Input
                name="hcHealthy"
                type="number"
                inputMode="numeric"
                min={1}
                max={20}
                step={1}
                defaultValue={initial.hcHealthy}
                onChange={set("hcHealthy")}
              />
            </Field>
            <Field
              id="site-hc-unhealthy"
              label="Unhealthy after"
              error={errors.hcUnhealthy}
              hint="Failed checks in a row before a server stops getting visitors."
            >
              <Input
                name="hcUnhealthy"
                type="number"
                inputMode="numeric"
                min={1}
                max={20}
                step={1}
                defaultValue={initial.hcUnhealthy}
                onChange={set("hcUnhealthy")}
              />
            </Field>
          </div>
        </details>
        <SwitchField
          id="site-passive-server-errors"
          name="passiveHealthCountsServerErrors"
          label="Count error answers against a server"
          description="Off: a server is set aside for a while only when it cannot be reached or does not answer in time. On: also when it answers with server errors (500-599) several times in a row. Leave off if some pages of your app answer errors on purpose."
          defaultChecked={initial.passiveHealthCountsServerErrors}
          error={errors.passiveHealthCountsServerErrors}
        />
      </div>
    </Section>
  );
}

/** The settings in one sentence, so nobody has to open them to know what happens. */
function checkSummary(values: HealthCheckValues): string {
  const path = values.hcPath.trim() || "/";
  const times = (count: string, one: string, many: string) => `${count.trim() || "?"} ${count.trim() === "1" ? one : many}`;
  return (
    `Every ${times(values.hcInterval, "second", "seconds")}, ask for ${path} and wait up to ${times(values.hcTimeout, "second", "seconds")} ` +
    `for a ${values.hcExpectedStatus.trim() || "?"} answer. Down after ${times(values.hcUnhealthy, "failed check", "failed checks")}, ` +
    `back up after ${times(values.hcHealthy, "good one", "good ones")}.`
  );
}
