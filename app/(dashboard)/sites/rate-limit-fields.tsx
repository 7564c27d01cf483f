"use client";

import { useState } from "react";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import { hasErrorsUnder } from "@/app/_lib/form-state";
import type { SiteFormValues } from "./form-values";

/** The rate-limit switch and its numbers; the numbers stay in the form (hidden) while it is off. */
export function RateLimitFields({ initial, errors }: { initial: SiteFormValues; errors: Record<string, string[]> }) {
  const [on, setOn] = useState(initial.rateLimit);
  const numberErrors = hasErrorsUnder(errors, "rateLimit");
  return (
    <div>
      <SwitchField
        id="site-rate-limit"
        name="rateLimit"
        label="Rate limit"
        description="Slows down any one visitor who sends too many requests (they get “Too many requests”), which blunts password guessing and scrapers."
        checked={on}
        onChange={setOn}
        error={errors.rateLimit}
      />
      <div hidden={!on && !numberErrors} className="ml-12 grid gap-4 pb-3 sm:grid-cols-3" data-testid="rate-limit-options">
        <Field
          id="site-rate-limit-rps"
          label="Requests per second"
          error={errors["rateLimit.requestsPerSecond"]}
          hint="Per visitor address, on average."
        >
          <Input
            name="rateLimit.requestsPerSecond"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            defaultValue={initial["rateLimit.requestsPerSecond"]}
          />
        </Field>
        <Field
          id="site-rate-limit-burst"
          label="Burst"
          error={errors["rateLimit.burst"]}
          hint="Requests allowed at once, such as a page loading its images."
        >
          <Input name="rateLimit.burst" type="number" inputMode="numeric" min={1} step={1} defaultValue={initial["rateLimit.burst"]} />
        </Field>
        <Field
          id="site-rate-limit-connections"
          label="Connections per address"
          optional
          error={errors["rateLimit.maxConnectionsPerIp"]}
          hint="Open at the same time. Empty: no cap."
        >
          <Input
            name="rateLimit.maxConnectionsPerIp"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            defaultValue={initial["rateLimit.maxConnectionsPerIp"]}
            placeholder="No cap"
          />
        </Field>
      </div>
    </div>
  );
}
