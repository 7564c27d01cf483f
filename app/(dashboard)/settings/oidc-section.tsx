"use client";

import { useActionState, useState } from "react";
import type { OidcSettings } from "@/lib/schemas/oidc";
import { ActionForm } from "@/app/_components/action-form";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Button } from "@/app/_components/ui/button";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { idle } from "@/app/_lib/form-state";
import { saveOidc } from "./oidc-actions";

/** Settings › Single sign-on (OIDC): "Sign in with …" through the organisation's identity provider. */
export function OidcSection({ current, redirectUri }: { current: OidcSettings; redirectUri: string }) {
  const [state, dispatch, pending] = useActionState(saveOidc, idle);
  const errors = state.fieldErrors ?? {};
  return (
    <Card className="mt-8" data-testid="oidc-settings">
      <CardHeader
        titleId="oidc-title"
        title="Single sign-on (OIDC)"
        description="Let people sign in with your identity provider (Google, Microsoft Entra, Keycloak, Authentik, …). Passwords keep working. The provider takes care of the second factor: a sign-in through it does not ask for this dashboard's code."
      />
      <CardContent className="py-5">
        <ActionForm action={dispatch} noValidate aria-labelledby="oidc-title" className="space-y-4">
          <RedirectUri value={redirectUri} />
          {/* Re-read the saved settings after each successful save; never after an error. */}
          <div key={state.nonce ?? 0} className="space-y-4">
            <SwitchField
              id="settings-oidc-enabled"
              name="enabled"
              label="Show “Sign in with …” on the sign-in page"
              defaultChecked={current.enabled}
              error={errors["oidc.enabled"]}
            />
            <Field
              id="settings-oidc-issuer"
              label="Issuer URL"
              error={errors["oidc.issuer"]}
              className="max-w-xl"
              hint="Your provider's address, where /.well-known/openid-configuration lives. https:// is required (plain http only for a provider on this machine)."
            >
              <Input
                name="issuer"
                type="url"
                defaultValue={current.issuer}
                autoComplete="off"
                placeholder="https://accounts.example.com"
                className="font-mono"
              />
            </Field>
            <Field id="settings-oidc-client-id" label="Client ID" error={errors["oidc.clientId"]} className="max-w-xl">
              <Input name="clientId" defaultValue={current.clientId} autoComplete="off" className="font-mono" />
            </Field>
            <Field
              id="settings-oidc-client-secret"
              label="Client secret"
              optional
              error={errors["oidc.clientSecret"]}
              className="max-w-xl"
              hint={
                current.hasClientSecret
                  ? "A secret is saved (it is never shown). Leave this empty to keep it."
                  : "None saved: the dashboard then signs in as a public client, with PKCE only."
              }
            >
              <Input name="clientSecret" type="password" autoComplete="new-password" placeholder={current.hasClientSecret ? "••••••••" : ""} />
            </Field>
            {current.hasClientSecret ? <CheckboxField id="settings-oidc-forget-secret" name="forgetSecret" label="Forget the saved secret" /> : null}
            <Field
              id="settings-oidc-display-name"
              label="Name on the button"
              error={errors["oidc.displayName"]}
              className="max-w-xs"
              hint="The button reads “Sign in with” and this name."
            >
              <Input name="displayName" defaultValue={current.displayName} autoComplete="off" />
            </Field>
            <Field id="settings-oidc-new-users" label="Who may sign in" error={errors["oidc.newUsersRole"]} className="max-w-xl">
              <Select name="newUsersRole" defaultValue={current.newUsersRole ?? ""}>
                <option value="">Only people who already have an account here (matched by verified email)</option>
                <option value="viewer">Also new people, who get an account as viewers</option>
                <option value="operator">Also new people, who get an account as operators</option>
                <option value="admin">Also new people, who get an account as admins</option>
              </Select>
            </Field>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending}>Save</SubmitButton>
            <FormResult state={state} testIds={{ error: "oidc-error", success: "oidc-saved" }} />
          </div>
        </ActionForm>
      </CardContent>
    </Card>
  );
}

/** The address to register at the provider, with a copy button: typing it by hand is where set-ups go wrong. */
function RedirectUri({ value }: { value: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="max-w-xl">
      <label htmlFor="settings-oidc-redirect-uri" className="mb-1.5 block text-sm font-medium text-slate-800">
        Redirect URI to register at your provider
      </label>
      <div className="flex gap-2">
        <input
          id="settings-oidc-redirect-uri"
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="h-10 min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 font-mono text-sm text-slate-900"
        />
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied("yes");
            } catch {
              setCopied("failed");
            }
          }}
        >
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" ? (
        <p className="mt-1.5 text-xs text-amber-800">Your browser blocked copying: select the text and copy it by hand.</p>
      ) : null}
    </div>
  );
}
