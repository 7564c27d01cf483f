"use client";

import { useActionState } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { beginTwoFactorAction, confirmTwoFactorAction, disableTwoFactorAction, regenerateRecoveryCodesAction } from "./actions";
import type { TwoFactorState } from "./form-state";
import { RecoveryCodes } from "./recovery-codes";

const idle: TwoFactorState = { status: "idle" };

/** Your account › Two-factor sign-in: turn on with an authenticator app, turn off, new recovery codes. */
export function TwoFactorSection({ enabled, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  const [begun, begin, beginning] = useActionState(beginTwoFactorAction, idle);
  const [confirmed, confirm, confirming] = useActionState(confirmTwoFactorAction, idle);
  const [regenerated, regenerate, regenerating] = useActionState(regenerateRecoveryCodesAction, idle);
  const [disabled, disable, disabling] = useActionState(disableTwoFactorAction, idle);
  // The newest codes of this visit; none once two-factor sign-in was turned off again.
  const newest = [confirmed, regenerated].filter((state) => state.recoveryCodes).sort((a, b) => (b.nonce ?? 0) - (a.nonce ?? 0))[0];
  const codes = enabled ? newest?.recoveryCodes : undefined;
  const enrolment = confirmed.enrolment ?? begun.enrolment;
  const confirmErrors = confirming ? {} : (confirmed.fieldErrors ?? {});

  return (
    <Card className="mt-8" data-testid="two-factor">
      <CardHeader
        title="Two-factor sign-in"
        description="Besides your password, sign-in asks for a code from an authenticator app on your phone (Google Authenticator, 1Password, Aegis…)."
      />
      <CardContent className="space-y-4 py-5">
        <p className="text-sm text-slate-700" data-testid="two-factor-state" data-enabled={String(enabled)}>
          {enabled ? (
            <>
              <span className="font-medium text-emerald-700">On.</span> {recoveryCodesLeft} of 10 recovery codes left.
            </>
          ) : (
            <>
              <span className="font-medium text-slate-900">Off.</span> Your password alone signs you in.
            </>
          )}
        </p>
        {codes ? <RecoveryCodes codes={codes} /> : null}
        {!enabled && disabled.status === "success" && disabled.message ? <Alert tone="info">{disabled.message}</Alert> : null}

        {!enabled && !enrolment ? (
          <ActionForm action={begin}>
            {begun.status === "error" && begun.message ? <Alert tone="error">{begun.message}</Alert> : null}
            <SubmitButton pending={beginning}>Turn on two-factor sign-in</SubmitButton>
          </ActionForm>
        ) : null}

        {!enabled && enrolment ? (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">1. Scan this code with your authenticator app:</p>
            <div
              role="img"
              aria-label="QR code of the secret for your authenticator app"
              className="size-48 rounded-md bg-white p-1 [&>svg]:size-full"
              // The SVG is made on the server by the qrcode library from the otpauth URI alone.
              // biome-ignore lint/security/noDangerouslySetInnerHtml: server-made SVG, no user text in it but the email, escaped in the URI
              dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
            />
            <p className="text-sm text-slate-700">
              Or type this secret into the app (time-based, 6 digits):{" "}
              <code data-testid="totp-secret" className="break-words rounded bg-slate-100 px-1.5 py-0.5 font-mono text-sm text-slate-900">
                {enrolment.secret.match(/.{1,4}/g)?.join(" ")}
              </code>
            </p>
            <ActionForm action={confirm} className="space-y-3" noValidate>
              <Field id="totp-confirm-code" label="2. Enter the 6-digit code the app shows" error={confirmErrors.code}>
                <Input name="code" inputMode="numeric" autoComplete="one-time-code" className="max-w-40" />
              </Field>
              {confirmed.status === "error" && confirmed.message && !confirmErrors.code ? <Alert tone="error">{confirmed.message}</Alert> : null}
              <SubmitButton pending={confirming}>Turn on</SubmitButton>
            </ActionForm>
          </div>
        ) : null}

        {enabled ? (
          <div className="grid gap-6 md:grid-cols-2">
            <ActionForm action={regenerate} className="space-y-3" noValidate>
              <Field
                id="recovery-code-totp"
                label="Code from your app"
                hint="New recovery codes replace the old ones."
                error={regenerating ? undefined : regenerated.fieldErrors?.code}
              >
                <Input name="code" inputMode="numeric" autoComplete="one-time-code" className="max-w-40" />
              </Field>
              <SubmitButton variant="secondary" pending={regenerating}>
                New recovery codes
              </SubmitButton>
            </ActionForm>
            <ActionForm action={disable} className="space-y-3" noValidate>
              <Field
                id="disable-two-factor-password"
                label="Your password"
                hint="Needed to turn two-factor sign-in off."
                error={disabling ? undefined : disabled.fieldErrors?.password}
              >
                <Input name="password" type="password" autoComplete="current-password" />
              </Field>
              <SubmitButton variant="danger-outline" pending={disabling}>
                Turn off
              </SubmitButton>
            </ActionForm>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
