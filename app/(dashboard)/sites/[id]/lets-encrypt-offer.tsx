"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import type { PreflightResult } from "@/lib/acme/preflight-types";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { cn } from "@/app/_lib/cn";
import { idle, type FormState } from "@/app/_lib/form-state";
import type { AcmeChallenge } from "@/lib/schemas/certificate";
import { ChallengeChoice } from "./challenge-choice";
import type { DnsProviderOption, PreflightState } from "./https-state";
import { displayHostname } from "@/lib/net/display-hostname";

type Action<S> = (state: S, formData: FormData) => Promise<S>;

const initialPreflight: PreflightState = { status: "idle" };

/**
 * "Get Let's Encrypt certificate": first a check of every hostname (does it resolve here, does
 * the challenge path reach this proxy), then a small form to order, even when the check failed.
 */
export function LetsEncryptOffer({
  hostnames,
  check,
  order,
  defaults,
  offerForceHttps,
  replacesFailedOrder,
  dnsProviders,
}: {
  hostnames: string[];
  check: Action<PreflightState>;
  order: Action<FormState>;
  defaults: { email: string; staging: boolean };
  offerForceHttps: boolean;
  replacesFailedOrder: boolean;
  dnsProviders: DnsProviderOption[];
}) {
  const [checked, dispatchCheck, checking] = useActionState(check, initialPreflight);
  const ran = checked.status !== "idle";
  const results = checked.results ?? [];
  const allOk = checked.status === "success" && results.length > 0 && results.every((result) => result.ok);

  return (
    <div className="space-y-5">
      <ActionForm action={dispatchCheck} aria-label="Check the hostnames for Let's Encrypt" className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={checking} variant={ran ? "secondary" : "primary"}>
          {ran ? "Check again" : "Get Let's Encrypt certificate"}
        </SubmitButton>
        <p className="min-w-0 flex-1 text-sm text-slate-500">
          {ran
            ? "Fixed something? Check again before ordering."
            : `Free and trusted by every browser. First we check that ${hostnames.length === 1 ? displayHostname(hostnames[0] ?? "") : "each hostname"} reaches this server.`}
        </p>
      </ActionForm>

      {checking && !ran ? (
        <p role="status" className="text-sm text-slate-500">
          Checking {hostnames.map(displayHostname).join(", ")}…
        </p>
      ) : null}

      {ran ? (
        <>
          <PreflightResults state={checked} hostnames={hostnames} allOk={allOk} />
          {/* Not keyed on the check: checking again keeps what was typed here. */}
          <OrderForm
            order={order}
            defaults={defaults}
            offerForceHttps={offerForceHttps}
            anyway={!allOk}
            replacesFailedOrder={replacesFailedOrder}
            dnsProviders={dnsProviders}
          />
        </>
      ) : null}
    </div>
  );
}

function PreflightResults({ state, hostnames, allOk }: { state: PreflightState; hostnames: string[]; allOk: boolean }) {
  if (state.status === "error") {
    return (
      <Alert tone="warning" title="The names could not be checked" testId="preflight-error">
        <p>{state.message}</p>
        <p>
          You can still order: Let&apos;s Encrypt will check {hostnames.length === 1 ? "the name" : "the names"} itself, and the order fails with a
          clear message if {hostnames.length === 1 ? "it does" : "they do"} not reach this server.
        </p>
      </Alert>
    );
  }
  const results = state.results ?? [];
  const failed = results.filter((result) => !result.ok).length;
  return (
    <section aria-labelledby="preflight-title" className="rounded-lg border border-slate-200">
      <h3
        id="preflight-title"
        className={cn("border-b border-slate-100 px-4 py-2.5 text-sm font-semibold", allOk ? "text-emerald-800" : "text-red-800")}
      >
        {allOk
          ? results.length === 1
            ? "The name points at this server"
            : "Every name points at this server"
          : `${failed} of ${results.length} ${results.length === 1 ? "name" : "names"} failed the check`}
      </h3>
      <ul className="divide-y divide-slate-100">
        {results.map((result) => (
          <PreflightRow key={result.hostname} result={result} />
        ))}
      </ul>
      {!allOk ? (
        <p className="border-t border-slate-100 bg-slate-50/70 px-4 py-2.5 text-sm text-slate-600">
          Point the DNS of each red name at this server and make sure port 80 is open, then check again. Ordering now will most likely fail, and too
          many failures in an hour make Let&apos;s Encrypt pause orders for a while.
        </p>
      ) : null}
    </section>
  );
}

function PreflightRow({ result }: { result: PreflightResult }) {
  return (
    <li data-testid="preflight-result" data-hostname={result.hostname} data-ok={String(result.ok)} className="flex gap-3 px-4 py-3">
      <span
        aria-hidden="true"
        className={cn("mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-white", result.ok ? "bg-emerald-500" : "bg-red-600")}
      >
        <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-3">
          {result.ok ? (
            <path d="M3.5 8.5 6.5 11.5 12.5 5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
          ) : (
            <path d="M4.5 4.5 11.5 11.5M11.5 4.5 4.5 11.5" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
          )}
        </svg>
      </span>
      <div className="min-w-0">
        <p className="font-mono text-sm text-slate-900">
          <span className="sr-only">{result.ok ? "Passed: " : "Failed: "}</span>
          {result.hostname}
        </p>
        <p className={cn("text-sm", result.ok ? "text-slate-600" : "text-red-700")}>{result.message}</p>
        {result.addresses.length > 0 && !result.addresses.every((address) => result.message.includes(address)) ? (
          <p className="text-xs text-slate-500">Resolves to {result.addresses.join(", ")}</p>
        ) : null}
      </div>
    </li>
  );
}

/**
 * The order itself: how the names are checked (HTTP or DNS), the account email and the switch.
 * `dnsOnly` is the wildcard order: DNS is the only way, so only the provider is asked for.
 */
export function OrderForm({
  order,
  defaults,
  offerForceHttps,
  anyway,
  replacesFailedOrder,
  dnsProviders,
  dnsOnly = false,
}: {
  order: Action<FormState>;
  defaults: { email: string; staging: boolean };
  offerForceHttps: boolean;
  /** The HTTP check failed: ordering over HTTP will most likely fail too. */
  anyway: boolean;
  replacesFailedOrder: boolean;
  dnsProviders: DnsProviderOption[];
  dnsOnly?: boolean;
}) {
  const [state, dispatch, pending] = useActionState(order, idle);
  const [challenge, setChallenge] = useState<AcmeChallenge>(dnsOnly ? "dns-01" : "http-01");
  // The failed check was about port 80: it says nothing about a DNS order.
  const against = anyway && challenge === "http-01";
  // Nothing to order through yet: the choice shows the link to add a provider instead.
  const noProvider = challenge === "dns-01" && dnsProviders.length === 0;
  const [switchSite, setSwitchSite] = useState(true);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = state.fieldErrors ?? {};

  useEffect(() => {
    if (state.status !== "error") return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return (
    <ActionForm ref={formRef} action={dispatch} noValidate aria-label="Order a Let's Encrypt certificate" className="space-y-4">
      <ChallengeChoice value={challenge} onChange={setChallenge} providers={dnsProviders} errors={errors} dnsOnly={dnsOnly} />
      <Field
        id="acme-email"
        label="Email address"
        error={errors.email}
        className="max-w-md"
        hint={
          defaults.email ? (
            <>
              Let&apos;s Encrypt sends expiry notices here if a renewal ever stops working. The default comes from{" "}
              <Link href="/settings" className="text-indigo-700 underline">
                Settings
              </Link>
              .
            </>
          ) : (
            "Required. Let's Encrypt sends expiry notices here if a renewal ever stops working. It becomes the default for later orders."
          )
        }
      >
        <Input name="email" type="email" defaultValue={defaults.email} autoComplete="email" required={!defaults.email} />
      </Field>
      <div className="space-y-3">
        <CheckboxField
          id="acme-staging"
          name="staging"
          label="Use Let's Encrypt staging (for testing)"
          description="Browsers do not trust staging certificates, but you can try as often as you like."
          defaultChecked={defaults.staging}
          error={errors.staging}
        />
        <CheckboxField
          id="acme-switch-site"
          name="switchSite"
          label="Switch this site to the new certificate"
          description="As soon as it is issued, without a restart."
          checked={switchSite}
          onChange={setSwitchSite}
          error={errors.switchSite}
        />
        {offerForceHttps ? (
          <CheckboxField
            id="acme-force-https"
            name="forceHttps"
            label="Force HTTPS once it is installed"
            description="Then visitors who type http:// are sent to https://."
            defaultChecked={false}
            disabled={!switchSite}
            error={errors.forceHttps}
            className="pl-7"
          />
        ) : null}
      </div>
      {state.status === "error" && state.message ? (
        <Alert tone="error" testId="form-error">
          {state.message}
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} variant={against ? "secondary" : "primary"} disabled={noProvider}>
          {dnsOnly ? "Get a wildcard certificate" : against ? "Order anyway" : "Order certificate"}
        </SubmitButton>
        <span className="text-sm text-slate-500">
          Usually takes under a minute.{replacesFailedOrder ? " This replaces the order that failed." : ""}
        </span>
      </div>
    </ActionForm>
  );
}
