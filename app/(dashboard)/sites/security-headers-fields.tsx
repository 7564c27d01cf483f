"use client";

import { useState } from "react";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { Textarea } from "@/app/_components/ui/textarea";
import type { SecurityFormValues } from "./form-values";
import { FRAME_OPTIONS, REFERRER_OPTIONS } from "./security-labels";

const FIELDS = ["frameOptions", "contentTypeOptions", "referrerPolicy", "permissionsPolicy", "contentSecurityPolicy"] as const;

/** The security-headers switch and its choices; the choices stay in the form (hidden) while it is off. */
export function SecurityHeadersFields({ initial, errors }: { initial: SecurityFormValues; errors: Record<string, string[]> }) {
  const [on, setOn] = useState(initial.securityHeadersOn);
  const choiceErrors = FIELDS.some((name) => (errors[name]?.length ?? 0) > 0);
  return (
    <div>
      <SwitchField
        id="site-security-headers"
        name="securityHeadersOn"
        label="Security headers"
        description="Tells browsers to refuse common tricks such as showing your pages inside another site; headers your app sends itself win."
        checked={on}
        onChange={setOn}
        error={errors.securityHeadersOn}
      />
      <div hidden={!on && !choiceErrors} className="ml-12 space-y-4 pb-3" data-testid="security-headers-options">
        <div className="grid gap-4">
          <Field
            id="site-frame-options"
            label="Who may embed your pages"
            error={errors.frameOptions}
            hint="X-Frame-Options: stops other sites from hiding your pages inside theirs to trick clicks."
          >
            <Select name="frameOptions" defaultValue={initial.frameOptions}>
              {FRAME_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id="site-referrer-policy"
            label="What links tell other sites"
            error={errors.referrerPolicy}
            hint="Referrer-Policy: how much of the page a visitor came from the next site learns."
          >
            <Select name="referrerPolicy" defaultValue={initial.referrerPolicy}>
              {REFERRER_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <CheckboxField
          id="site-content-type-options"
          name="contentTypeOptions"
          label="Stop browsers guessing file types"
          description="X-Content-Type-Options: nosniff. An uploaded file cannot pass itself off as a script."
          defaultChecked={initial.contentTypeOptions}
          error={errors.contentTypeOptions}
        />
        <Field
          id="site-permissions-policy"
          label="Permissions-Policy"
          optional
          error={errors.permissionsPolicy}
          hint="Browser features your pages may not use, such as the camera. Empty: not sent."
        >
          <Input
            name="permissionsPolicy"
            defaultValue={initial.permissionsPolicy}
            placeholder="camera=(), microphone=(), geolocation=()"
            className="font-mono"
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field
          id="site-content-security-policy"
          label="Content-Security-Policy"
          optional
          error={errors.contentSecurityPolicy}
          hint="Where your pages may load scripts, styles and images from. A wrong policy breaks pages: leave empty unless your app's developers gave you one."
        >
          <Textarea name="contentSecurityPolicy" rows={2} mono defaultValue={initial.contentSecurityPolicy} placeholder="default-src 'self'" />
        </Field>
      </div>
    </div>
  );
}
