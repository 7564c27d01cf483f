"use client";

import { useState } from "react";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import type { SecurityFormValues } from "./form-values";

const FIELDS = ["rateLimitRps", "rateLimitBurst", "rateLimitMaxConnections"] as const;

/** The rate-limit switch and its numbers; the numbers stay in the form (hidden) while it is off. */
export function RateLimitFields({ initial, errors }: { initial: SecurityFormValues; errors: Record<string, string[]> }) {
  const [on, setOn] = useState(initial.rateLimitOn);
  const numberErrors = FIELDS.some((name) => (errors[name]?.length ?? 0) > 0);
  return (
    <div>
      <SwitchField
        id="site-rate-limit"
        name="rateLimitOn"
        label="Rate limit"
        description="Slows down any one visitor who sends too many requests (they get “Too many requests”), which blunts password guessing and scrapers."
        checked={on}
        onChange={setOn}
        error={errors.rateLimitOn}
      />
      <div hidden={!on && !numberErrors} className="ml-12 grid gap-4 pb-3 sm:grid-cols-3" data-testid="rate-limit-options">
        <Field id="site-rate-limit-rps" label="Requests per second" error={errors.rateLimitRps} hint="Per visitor address, on average.">
          <Input name="rateLimitRps" type="number" inputMode="decimal" min={0} step="any" defaultValue={initial.rateLimitRps} />
        </Field>
        <Field
          id="site-rate-limit-burst"
          label="Burst"
          error={errors.rateLimitBurst}
          hint="Requests allowed at once, such as a page loading its images."
        >
          <Input name="rateLimitBurst" type="number" inputMode="numeric" min={1} step={1} defaultValue={initial.rateLimitBurst} />
        </Field>
        <Field
          id="site-rate-limit-connections"
          label="Connections per address"
          optional
          error={errors.rateLimitMaxConnections}
          hint="Open at the same time. Empty: no cap."
        >
          <Input
            name="rateLimitMaxConnections"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            defaultValue={initial.rateLimitMaxConnections}
            placeholder="No cap"
          />
        </Field>
      </div>
    </div>
  );
}
