"use client";

import { useState } from "react";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { Textarea } from "@/app/_components/ui/textarea";
import type { SiteFormValues } from "./form-values";
import { FRAME_OPTIONS, REFERRER_OPTIONS } from "./security-labels";

/** The security-headers switch and its choices; the choices stay in the form (hidden) while it is off. */
export function SecurityHeadersFields({ initial, errors }: { initial: SiteFormValues; errors: Record<string, string[]> }) {
  const [on, setOn] = useState(initial.securityHeaders);
  // The HSTS options are stored with the headers but shown, errors and all, with the HSTS switch.
  const choiceErrors = Object.entries(errors).some(
    ([name, messages]) => name.startsWith("securityHeaders.") && !name.startsWith("securityHeaders.hsts.") && messages.length > 0,
  );
  return (
    <div>
      <SwitchField
        id="site-security-headers"
        name="securityHeaders"
        label="Security headers"
        description="Tells browsers to refuse common tricks such as showing your pages inside another site; headers your app sends itself win."
        checked={on}
        onChange={setOn}
        error={errors.securityHeaders}
      />
      <div hidden={!on && !choiceErrors} className="ml-12 space-y-4 pb-3" data-testid="security-headers-options">
        <div className="grid gap-4">
          <Field
            id="site-frame-options"
            label="Who may embed your pages"
            error={errors["securityHeaders.frameOptions"]}
            hint="X-Frame-Options: stops other sites from hiding your pages inside theirs to trick clicks."
          >
            <Select name="securityHeaders.frameOptions" defaultValue={initial["securityHeaders.frameOptions"]}>
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
            error={errors["securityHeaders.referrerPolicy"]}
            hint="Referrer-Policy: how much of the page a visitor came from the next site learns."
          >
            <Select name="securityHeaders.referrerPolicy" defaultValue={initial["securityHeaders.referrerPolicy"]}>
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
          name="securityHeaders.contentTypeOptions"
          label="Stop browsers guessing file types"
          description="X-Content-Type-Options: nosniff. An uploaded file cannot pass itself off as a script."
          defaultChecked={initial["securityHeaders.contentTypeOptions"]}
          error={errors["securityHeaders.contentTypeOptions"]}
        />
        <Field
          id="site-permissions-policy"
          label="Permissions-Policy"
          optional
          error={errors["securityHeaders.permissionsPolicy"]}
          hint="Browser features your pages may not use, such as the camera. Empty: not sent."
        >
          <Input
            name="securityHeaders.permissionsPolicy"
            defaultValue={initial["securityHeaders.permissionsPolicy"]}
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
          error={errors["securityHeaders.contentSecurityPolicy"]}
          hint="Where your pages may load scripts, styles and images from. A wrong policy breaks pages: leave empty unless your app's developers gave you one."
        >
          <Textarea
            name="securityHeaders.contentSecurityPolicy"
            rows={2}
            mono
            defaultValue={initial["securityHeaders.contentSecurityPolicy"]}
            placeholder="default-src 'self'"
          />
        </Field>
      </div>
    </div>
  );
}
