"use client";

import { useState } from "react";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import { Section } from "./form-section";
import type { HealthCheckValues, SiteFormValues } from "./form-values";

export const HEALTH_FIELDS = ["hcEnabled", "hcPath", "hcInterval", "hcTimeout", "hcExpectedStatus", "hcHealthy", "hcUnhealthy"] as const;

export function HealthCheckSection({
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
