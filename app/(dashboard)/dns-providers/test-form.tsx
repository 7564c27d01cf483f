"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { cn } from "@/app/_lib/cn";
import type { DnsProviderTestStep } from "@/lib/schemas/dns-provider";
import type { TestState } from "./actions";

type Action = (state: TestState, formData: FormData) => Promise<TestState>;

const STEP_TITLES: Record<DnsProviderTestStep["step"], string> = {
  zone: "Find the zone",
  create: "Create a test TXT record",
  served: "Seen on the name servers",
  delete: "Remove the test record",
};

/** "Test": a domain, a button, and each step of the test with ✓ or ✗, in the provider's own words too. */
export function TestForm({ action, defaultDomain }: { action: Action; defaultDomain: string }) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" });
  const result = state.result;
  return (
    <div className="space-y-4">
      <ActionForm action={dispatch} noValidate aria-label="Test the DNS provider" className="flex flex-wrap items-start gap-3">
        <Field
          id="dns-provider-test-domain"
          label="Domain"
          error={state.fieldErrors?.domain}
          hint="A domain in a zone this provider manages. The test adds a TXT record under it and removes it again."
          className="min-w-0 flex-1 basis-64"
        >
          <Input name="domain" defaultValue={defaultDomain} placeholder="example.com" autoComplete="off" autoCapitalize="off" spellCheck={false} />
        </Field>
        <SubmitButton pending={pending} variant="secondary" className="sm:mt-7">
          Test
        </SubmitButton>
      </ActionForm>
      {pending ? (
        <p role="status" className="text-sm text-slate-500">
          Testing… waiting for the name servers can take up to half a minute.
        </p>
      ) : null}
      {!result && state.status === "error" && state.message && !state.fieldErrors?.domain ? (
        <Alert tone="error" testId="dns-test-error">
          {state.message}
        </Alert>
      ) : null}
      {result && !pending ? (
        <section
          aria-labelledby="dns-test-title"
          data-testid="dns-test-result"
          data-ok={String(result.ok)}
          className="rounded-lg border border-slate-200"
        >
          <h3
            id="dns-test-title"
            className={cn("border-b border-slate-100 px-4 py-2.5 text-sm font-semibold", result.ok ? "text-emerald-800" : "text-red-800")}
          >
            {result.ok ? "The provider works" : "The test failed"}
          </h3>
          <ul className="divide-y divide-slate-100">
            {result.steps.map((step) => (
              <TestStep key={step.step} step={step} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function TestStep({ step }: { step: DnsProviderTestStep }) {
  return (
    <li data-testid="dns-test-step" data-step={step.step} data-ok={String(step.ok)} className="flex gap-3 px-4 py-3">
      <span
        aria-hidden="true"
        className={cn(
          "mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-bold text-white",
          step.ok ? "bg-emerald-500" : "bg-red-600",
        )}
      >
        {step.ok ? "✓" : "✗"}
      </span>
      <div className="min-w-0">
        <p className="text-sm font-medium text-slate-900">
          <span className="sr-only">{step.ok ? "Passed: " : "Failed: "}</span>
          {STEP_TITLES[step.step]}
        </p>
        <p className={cn("text-sm break-words", step.ok ? "text-slate-600" : "text-red-700")}>{step.message}</p>
        {step.detail ? (
          <p
            data-testid="dns-test-detail"
            className="mt-1 rounded border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-xs break-words text-slate-600"
          >
            <span className="font-sans text-slate-500">The provider said: </span>
            {step.detail}
          </p>
        ) : null}
      </div>
    </li>
  );
}
