"use client";

import { useState } from "react";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import { Section } from "./form-section";
import { hasErrorsUnder } from "@/app/_lib/form-state";
import type { SiteFormValues } from "./form-values";

type HealthField = Extract<keyof SiteFormValues, `healthCheck.${string}`>;
type HealthCheckValues = Pick<SiteFormValues, HealthField>;

export function HealthCheckSection({
  initial,
  errors,
  open,
  onOpen,
  passthrough = false,
}: {
  initial: SiteFormValues;
  errors: Record<string, string[]>;
  /** Folded by default (the defaults just work); SiteForm unfolds it when a save finds a problem inside. */
  open: boolean;
  onOpen: (open: boolean) => void;
  /** A pass-through site's servers are checked by connecting: there is no answer to read. */
  passthrough?: boolean;
}) {
  // The values as typed, for the summary.
  const [values, setValues] = useState<HealthCheckValues>(initial);
  const hasErrors = hasErrorsUnder(errors, "healthCheck");
  const set = (name: Exclude<HealthField, "healthCheck.enabled">) => (event: { currentTarget: { value: string } }) => {
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
          name="healthCheck.enabled"
          label="Health checks"
          description={
            values["healthCheck.enabled"]
              ? "On: a server that fails its checks gets no visitors until it answers again."
              : "Off: nobody checks your servers, so a dead one still gets visitors and health shows grey."
          }
          checked={values["healthCheck.enabled"]}
          onChange={(enabled) => setValues((current) => ({ ...current, "healthCheck.enabled": enabled }))}
          error={errors["healthCheck.enabled"]}
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
                {passthrough ? connectSummary(values) : checkSummary(values)}
              </span>
            </span>
          </summary>
          <div className="grid gap-5 border-t border-slate-200 px-4 py-4 sm:grid-cols-2">
            {passthrough ? (
              <p className="text-sm text-slate-500 sm:col-span-2">
                With TLS pass-through, a check opens a TCP connection to each server: the proxy cannot read its answers, so the path and expected
                status are not used.
              </p>
            ) : null}
            <div hidden={passthrough} className="grid gap-5 sm:col-span-2 sm:grid-cols-2">
              <Field
                id="site-hc-path"
                label="Health check path"
                error={errors["healthCheck.path"]}
                hint="The page the proxy asks for, like /health. / works for most apps."
              >
                <Input
                  name="healthCheck.path"
                  defaultValue={initial["healthCheck.path"]}
                  onChange={set("healthCheck.path")}
                  className="font-mono"
                  autoComplete="off"
                  autoCapitalize="off"
                  spellCheck={false}
                />
              </Field>
              <Field
                id="site-hc-expected-status"
                label="Expected status"
                error={errors["healthCheck.expectedStatus"]}
                hint="Answers that mean “healthy”: a code like 200, or a range like 200-399 (success or redirect)."
              >
                <Input
                  name="healthCheck.expectedStatus"
                  defaultValue={initial["healthCheck.expectedStatus"]}
                  onChange={set("healthCheck.expectedStatus")}
                  className="font-mono"
                  autoComplete="off"
                />
              </Field>
            </div>
            <Field
              id="site-hc-interval"
              label="Check interval (seconds)"
              error={errors["healthCheck.intervalSeconds"]}
              hint="How often each server is asked."
            >
              <Input
                name="healthCheck.intervalSeconds"
                type="number"
                inputMode="numeric"
                min={1}
                max={3600}
                step={1}
                defaultValue={initial["healthCheck.intervalSeconds"]}
                onChange={set("healthCheck.intervalSeconds")}
              />
            </Field>
            <Field
              id="site-hc-timeout"
              label="Check timeout (seconds)"
              error={errors["healthCheck.timeoutSeconds"]}
              hint="How long to wait for an answer before the check counts as failed."
            >
              <Input
                name="healthCheck.timeoutSeconds"
                type="number"
                inputMode="numeric"
                min={1}
                max={60}
                step={1}
                defaultValue={initial["healthCheck.timeoutSeconds"]}
                onChange={set("healthCheck.timeoutSeconds")}
              />
            </Field>
            <Field
              id="site-hc-healthy"
              label="Healthy after"
              error={errors["healthCheck.healthyThreshold"]}
              hint="Good checks in a row before a server gets visitors again."
            >
              <Input
                name="healthCheck.healthyThreshold"
                type="number"
                inputMode="numeric"
                min={1}
                max={20}
                step={1}
                defaultValue={initial["healthCheck.healthyThreshold"]}
                onChange={set("healthCheck.healthyThreshold")}
              />
            </Field>
            <Field
              id="site-hc-unhealthy"
              label="Unhealthy after"
              error={errors["healthCheck.unhealthyThreshold"]}
              hint="Failed checks in a row before a server stops getting visitors."
            >
              <Input
                name="healthCheck.unhealthyThreshold"
                type="number"
                inputMode="numeric"
                min={1}
                max={20}
                step={1}
                defaultValue={initial["healthCheck.unhealthyThreshold"]}
                onChange={set("healthCheck.unhealthyThreshold")}
              />
            </Field>
          </div>
        </details>
        <div hidden={passthrough}>
          <SwitchField
            id="site-passive-server-errors"
            name="passiveHealthCountsServerErrors"
            label="Count error answers against a server"
            description="Off: a server is set aside for a while only when it cannot be reached or does not answer in time. On: also when it answers with server errors (500-599) several times in a row. Leave off if some pages of your app answer errors on purpose."
            defaultChecked={initial.passiveHealthCountsServerErrors}
            error={errors.passiveHealthCountsServerErrors}
          />
        </div>
      </div>
    </Section>
  );
}

/** The same for a pass-through site, whose servers are checked by connecting. */
function connectSummary(values: HealthCheckValues): string {
  const times = (count: string, one: string, many: string) => `${count.trim() || "?"} ${count.trim() === "1" ? one : many}`;
  return (
    `Every ${times(values["healthCheck.intervalSeconds"], "second", "seconds")}, connect to each server and wait up to ${times(values["healthCheck.timeoutSeconds"], "second", "seconds")}. ` +
    `Down after ${times(values["healthCheck.unhealthyThreshold"], "failed check", "failed checks")}, back up after ${times(values["healthCheck.healthyThreshold"], "good one", "good ones")}.`
  );
}

/** The settings in one sentence, so nobody has to open them to know what happens. */
function checkSummary(values: HealthCheckValues): string {
  const path = values["healthCheck.path"].trim() || "/";
  const times = (count: string, one: string, many: string) => `${count.trim() || "?"} ${count.trim() === "1" ? one : many}`;
  return (
    `Every ${times(values["healthCheck.intervalSeconds"], "second", "seconds")}, ask for ${path} and wait up to ${times(values["healthCheck.timeoutSeconds"], "second", "seconds")} ` +
    `for a ${values["healthCheck.expectedStatus"].trim() || "?"} answer. Down after ${times(values["healthCheck.unhealthyThreshold"], "failed check", "failed checks")}, ` +
    `back up after ${times(values["healthCheck.healthyThreshold"], "good one", "good ones")}.`
  );
}
