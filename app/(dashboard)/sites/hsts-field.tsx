"use client";

import { useState } from "react";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { HSTS_DURATIONS, hstsDurationLabel } from "./security-labels";

/**
 * The HSTS switch with its options. The options stay in the form while the switch is off (only
 * hidden), so switching it off and on again, or a failed save, loses nothing.
 */
export function HstsField({
  initial,
  errors,
}: {
  initial: { hsts: boolean; hstsMaxAge: string; hstsIncludeSubDomains: boolean };
  errors: Record<string, string[]>;
}) {
  const [on, setOn] = useState(initial.hsts);
  const known = HSTS_DURATIONS.some((duration) => String(duration.seconds) === initial.hstsMaxAge);
  const optionErrors = (errors.hstsMaxAge?.length ?? 0) + (errors.hstsIncludeSubDomains?.length ?? 0) > 0;
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
          error={errors.hstsMaxAge}
          hint="How long browsers keep insisting on HTTPS after a visit. Start short if you are unsure."
        >
          <Select name="hstsMaxAge" defaultValue={initial.hstsMaxAge}>
            {!known ? <option value={initial.hstsMaxAge}>{hstsDurationLabel(Number(initial.hstsMaxAge))}</option> : null}
            {HSTS_DURATIONS.map((duration) => (
              <option key={duration.seconds} value={duration.seconds}>
                {duration.label}
              </option>
            ))}
          </Select>
        </Field>
        <CheckboxField
          id="site-hsts-subdomains"
          name="hstsIncludeSubDomains"
          label="Include subdomains"
          description="Also every subdomain of these hostnames. Only if all of them serve HTTPS."
          defaultChecked={initial.hstsIncludeSubDomains}
          error={errors.hstsIncludeSubDomains}
        />
      </div>
    </div>
  );
}
