"use client";

import { useState } from "react";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import { hasErrorsUnder } from "@/app/_lib/form-state";
import { Section } from "./form-section";
import type { SiteFormValues } from "./form-values";

/** The shared cache in front of the upstreams: the switch, and (while on) its budgets, default freshness and header. */
export function CacheSection({ initial, errors }: { initial: SiteFormValues; errors: Record<string, string[]> }) {
  const [on, setOn] = useState(initial["cache.enabled"]);
  return (
    <Section
      title="Cache"
      description="Keeps copies of the answers your upstream allows to be shared, so repeat visits are served without asking the upstream again."
    >
      <SwitchField
        id="site-cache"
        name="cache.enabled"
        label="Cache answers"
        description="Answers marked private or no-store, and answers that set a cookie, are never kept."
        checked={on}
        onChange={setOn}
        error={errors["cache.enabled"]}
      />
      <div hidden={!on && !hasErrorsUnder(errors, "cache")} className="ml-12 space-y-4" data-testid="cache-options">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="site-cache-memory"
            label="Memory budget (MB)"
            error={errors["cache.maxMemoryMb"]}
            hint="Room for stored answers in memory; 0 keeps none there."
          >
            <Input
              name="cache.maxMemoryMb"
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              defaultValue={initial["cache.maxMemoryMb"]}
              className="max-w-40"
            />
          </Field>
          <Field
            id="site-cache-disk"
            label="Disk budget (MB)"
            error={errors["cache.maxDiskMb"]}
            hint="Room for stored answers on disk; 0 keeps none there."
          >
            <Input
              name="cache.maxDiskMb"
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              defaultValue={initial["cache.maxDiskMb"]}
              className="max-w-40"
            />
          </Field>
        </div>
        <Field
          id="site-cache-ttl"
          label="Default freshness (seconds)"
          optional
          error={errors["cache.defaultTtlSeconds"]}
          hint="For answers that say nothing about how long they stay fresh. Leave empty to keep only what the upstream says."
        >
          <Input
            name="cache.defaultTtlSeconds"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            defaultValue={initial["cache.defaultTtlSeconds"]}
            className="max-w-40"
          />
        </Field>
        <CheckboxField
          id="site-cache-header"
          name="cache.cacheHeader"
          label="Add X-Cache header"
          description="Tells you whether an answer came from the cache (HIT), the upstream (MISS) or an older copy (STALE)."
          defaultChecked={initial["cache.cacheHeader"]}
          error={errors["cache.cacheHeader"]}
        />
      </div>
    </Section>
  );
}
