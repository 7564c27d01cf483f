"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Textarea } from "@/app/_components/ui/textarea";
import { idle } from "@/app/_lib/form-state";
import { saveTrustedProxies } from "./trusted-proxies-actions";

/** Settings › Trusted proxies: who may tell the proxy a visitor's real address. */
export function TrustedProxiesSection({ current, warnings }: { current: string[]; warnings: string[] }) {
  const [state, dispatch, pending] = useActionState(saveTrustedProxies, idle);
  return (
    <Card className="mt-8" data-testid="trusted-proxies-settings">
      <CardHeader
        titleId="trusted-proxies-title"
        title="Trusted proxies"
        description="For when a CDN (such as Cloudflare) or a load balancer sits in front of this server."
      />
      <CardContent className="py-5">
        <ActionForm action={dispatch} noValidate aria-labelledby="trusted-proxies-title" className="space-y-4">
          {/* About what is saved, so it stays until the risky entry is gone. */}
          {warnings.length > 0 ? (
            <Alert tone="warning" testId="trusted-proxies-warning" title="Everyone is trusted">
              {warnings.map((warning) => (
                <p key={warning}>{warning}</p>
              ))}
            </Alert>
          ) : null}
          <Field
            id="settings-trusted-proxies"
            label="Trusted addresses and ranges"
            optional
            error={state.fieldErrors?.trustedProxies}
            hint={
              <>
                Only requests arriving from these addresses may tell the proxy the visitor&apos;s real address (X-Forwarded-For) and scheme
                (X-Forwarded-Proto). Add your CDN&apos;s or load balancer&apos;s ranges; leave empty if visitors connect directly. One per line, or
                separated by commas or spaces, like <span className="font-mono">10.0.0.0/8</span> or <span className="font-mono">2400:cb00::/32</span>
                .
              </>
            }
          >
            {/* Re-read the saved (trimmed) list after each successful save; never after an error. */}
            <Textarea
              key={state.nonce ?? 0}
              name="trustedProxies"
              rows={4}
              mono
              defaultValue={current.join("\n")}
              placeholder={"173.245.48.0/20\n2400:cb00::/32"}
              autoCapitalize="off"
            />
          </Field>
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending}>Save trusted proxies</SubmitButton>
            <FormResult state={state} testIds={{ error: "trusted-proxies-error", success: "trusted-proxies-saved" }} />
          </div>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
