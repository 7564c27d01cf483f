"use client";

import { useState } from "react";
import { COMPRESSION_CODINGS } from "@/lib/schemas/site-compression";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field, FieldErrorText } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { SwitchField } from "@/app/_components/ui/switch";
import { hasErrorsUnder } from "@/app/_lib/form-state";
import { CODING_LABELS } from "./compression-form";
import { Section } from "./form-section";
import type { SiteFormValues } from "./form-values";

/** Compression of the site's answers: the switch, and (while on) which codings and from what size. */
export function CompressionSection({ initial, errors }: { initial: SiteFormValues; errors: Record<string, string[]> }) {
  const [on, setOn] = useState(initial["compression.enabled"]);
  const chosen = new Set(initial["compression.algorithms"].split(" "));
  return (
    <Section
      title="Compression"
      description="Text, scripts and data reach visitors smaller and sooner. Images and video are compressed already and are sent as they are."
    >
      <SwitchField
        id="site-compression"
        name="compression.enabled"
        label="Compress answers"
        description="Only for browsers that ask for it, and never for answers your app compressed itself."
        checked={on}
        onChange={setOn}
        error={errors["compression.enabled"]}
      />
      <div hidden={!on && !hasErrorsUnder(errors, "compression")} className="ml-12 space-y-4" data-testid="compression-options">
        <fieldset aria-describedby={errors["compression.algorithms"] ? "site-compression-algorithms-error" : undefined}>
          <legend className="text-sm font-medium text-slate-900">Algorithms</legend>
          <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
            {COMPRESSION_CODINGS.map((coding) => (
              <CheckboxField
                key={coding}
                id={`site-compression-${coding}`}
                name="compression.algorithms"
                value={coding}
                label={CODING_LABELS[coding]}
                defaultChecked={chosen.has(coding)}
              />
            ))}
          </div>
          <FieldErrorText id="site-compression-algorithms" error={errors["compression.algorithms"]} />
        </fieldset>
        <Field
          id="site-compression-min-bytes"
          label="Smallest answer to compress"
          error={errors["compression.minBytes"]}
          hint="In bytes. Smaller answers gain too little to be worth it."
        >
          <Input
            name="compression.minBytes"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            defaultValue={initial["compression.minBytes"]}
            className="max-w-40"
          />
        </Field>
      </div>
    </Section>
  );
}
