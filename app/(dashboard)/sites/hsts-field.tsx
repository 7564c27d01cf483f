"use client";

import { useState } from "react";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { hasErrorsUnder } from "@/app/_lib/form-state";
import type { SiteFormValues } from "./form-values";
import { HSTS_DURATIONS, hstsDurationLabel } from "./security-labels";

/**
 * The HSTS switch with its options. The options stay in the form while the switch is off (only
 * hidden), so switching it off and on again, or a failed save, loses nothing.
 */
export function HstsField({
  initial,
  errors,
}: {
  initial: Pick<SiteFormValues, "hsts" | "securityHeaders.hsts.maxAge" | "securityHeaders.hsts.includeSubDomains">;
  errors: Record<string, string[]>;
}) {
  const [on, setOn] = useState(initial.hsts);
  const maxAge = initial["securityHeaders.hsts.maxAge"];
  const known = HSTS_DURATIONS.some((duration) => String(duration.seconds) === maxAge);
  const optionErrors = hasErrorsUnder(errors, "securityHeaders.hsts");
  return (
    <div>
      <SwitchField
        id="site-hsts"
        name="hsts"
        label="HSTS"
        description="Tell browsers to only ever use HTTPS for these hostnames. Needs a certificate; hard to undo."
        checked={on}
        onChange={setOn}
        error={errors.hsts}
      />
      <div hidden={!on && !optionErrors} className="ml-12 grid gap-4 pb-3 sm:grid-cols-2" data-testid="hsts-options">
        <Field
          id="site-hsts-max-age"
          label="Remember HTTPS for"
          error={errors["securityHeaders.hsts.maxAge"]}
          hint="How long browsers keep insisting on HTTPS after a visit. Start short if you are unsure."
        >
          <Select name="securityHeaders.hsts.maxAge" defaultValue={maxAge}>
            {!known ? <option value={maxAge}>{hstsDurationLabel(Number(maxAge))}</option> : null}
            {HSTS_DURATIONS.map((duration) => (
              <option key={duration.seconds} value={duration.seconds}>
                {duration.label}
              </option>
            ))}
          </Select>
        </Field>
        <CheckboxField
          id="site-hsts-subdomains"
          name="securityHeaders.hsts.includeSubDomains"
          label="Include subdomains"
          description="Also every subdomain of these hostnames. Only if all of them serve HTTPS."
          defaultChecked={initial["securityHeaders.hsts.includeSubDomains"]}
          error={errors["securityHeaders.hsts.includeSubDomains"]}
        />
      </div>
    </div>
  );
}
