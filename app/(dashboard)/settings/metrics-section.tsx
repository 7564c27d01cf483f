"use client";

import { IfMayChange } from "@/app/_components/role-scope";
import { useActionState, useEffect, useState } from "react";
import type { MetricsSettings } from "@/lib/schemas/settings";
import { ActionForm } from "@/app/_components/action-form";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { ShownOnceToken } from "@/app/_components/shown-once-token";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Button } from "@/app/_components/ui/button";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { formatDate } from "@/app/_lib/time";
import { createMetricsTokenAction, disableMetricsAction } from "./metrics-actions";
import type { MetricsTokenState } from "./metrics-form-state";

const initialState: MetricsTokenState = { status: "idle" };

/** Settings › Prometheus metrics: off by default; on means /metrics answers whoever holds the token. */
export function MetricsSection({ current }: { current: MetricsSettings }) {
  const [created, dispatchCreate, creating] = useActionState(createMetricsTokenAction, initialState);
  const [confirmingNew, setConfirmingNew] = useState(false);

  // A new token closes the "replace it?" question.
  useEffect(() => setConfirmingNew(false), [created.nonce]);

  // Only while it is still the token in use: after "Disable" or a newer token it is worthless.
  const showToken =
    created.token !== undefined &&
    current.tokenCreatedAt !== null &&
    created.tokenCreatedAt !== undefined &&
    created.tokenCreatedAt >= current.tokenCreatedAt;

  return (
    <Card className="mt-8" data-testid="metrics-settings">
      <CardHeader
        titleId="metrics-title"
        title="Prometheus metrics"
        description="Let Prometheus, Grafana Agent or VictoriaMetrics scrape requests, status codes, bandwidth, latency, upstream health and certificate expiry."
      />
      <CardContent className="space-y-4 py-5">
        <p className="text-sm text-slate-700" data-testid="metrics-state" data-enabled={String(current.enabled)}>
          {current.enabled && current.tokenCreatedAt ? (
            <>
              <span className="font-medium text-emerald-700">On.</span> <Code>/metrics</Code> answers scrapers that send the token created{" "}
              {formatDate(current.tokenCreatedAt)}.
            </>
          ) : (
            <>
              <span className="font-medium text-slate-900">Off.</span> <Code>/metrics</Code> answers “not found” until you enable it.
            </>
          )}
        </p>

        {showToken && created.token ? <NewMetricsToken token={created.token} /> : null}

        <div className="flex flex-wrap items-start gap-3">
          {!current.enabled ? (
            <ActionForm action={dispatchCreate}>
              <SubmitButton pending={creating}>Enable and create token</SubmitButton>
            </ActionForm>
          ) : confirmingNew ? (
            <ActionForm
              action={dispatchCreate}
              role="alertdialog"
              aria-label="Create a new metrics token?"
              className="flex flex-wrap items-center gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2"
            >
              <span className="text-sm text-amber-900">The current token stops working at once: update your scraper with the new one.</span>
              <IfMayChange>
                <Button variant="secondary" size="sm" onClick={() => setConfirmingNew(false)} disabled={creating}>
                  Cancel
                </Button>
              </IfMayChange>
              <SubmitButton size="sm" pending={creating} autoFocus>
                Confirm new token
              </SubmitButton>
            </ActionForm>
          ) : (
            <IfMayChange>
              <Button variant="secondary" onClick={() => setConfirmingNew(true)}>
                Create a new token
              </Button>
            </IfMayChange>
          )}
          {current.enabled ? (
            <ConfirmAction
              action={disableMetricsAction}
              label="Disable"
              ariaLabel="Disable Prometheus metrics"
              confirmLabel="Confirm disable"
              question="Turn off /metrics? Scrapers get “not found” and the token is forgotten."
            />
          ) : null}
        </div>

        {created.status === "error" && created.message ? (
          <Alert tone="error" testId="metrics-error">
            {created.message}
          </Alert>
        ) : null}
      </CardContent>
    </Card>
  );
}

function NewMetricsToken({ token }: { token: string }) {
  // Rendered only after a click, in the browser, so the address is the one the user is on.
  const target = typeof window === "undefined" ? "dashboard.example.com:3000" : window.location.host;
  const scheme = typeof window !== "undefined" && window.location.protocol === "https:" ? "https" : "http";
  return (
    <ShownOnceToken
      token={token}
      title="Copy the token now: it is shown only once."
      inputId="new-metrics-token-value"
      inputLabel="New metrics token"
      testId="new-metrics-token"
    >
      <p className="mt-3 text-xs text-emerald-900">
        It opens <Code>/metrics</Code> only (not the API). In <Code>prometheus.yml</Code>, save the token in a file next to it:
      </p>
      <pre className="mt-2 overflow-x-auto rounded-md bg-surface/70 p-3 font-mono text-xs text-slate-800">
        {[
          "scrape_configs:",
          "  - job_name: gatekeeper",
          `    scheme: ${scheme}`,
          "    authorization:",
          "      credentials_file: /etc/prometheus/gatekeeper-token",
          "    static_configs:",
          `      - targets: ["${target}"]`,
        ].join("\n")}
      </pre>
    </ShownOnceToken>
  );
}

function Code({ children }: { children: string }) {
  return <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-800">{children}</code>;
}
