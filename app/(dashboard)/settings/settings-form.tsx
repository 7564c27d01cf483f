"use client";

import { IfMayChange } from "@/app/_components/role-scope";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { WEBHOOK_EVENTS } from "@/lib/notifications/events";
import type { AppSettings } from "@/lib/schemas/settings";
import { ActionForm } from "@/app/_components/action-form";
import { Spinner, SubmitButton } from "@/app/_components/submit-button";
import { Alert } from "@/app/_components/ui/alert";
import { Button } from "@/app/_components/ui/button";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { idle } from "@/app/_lib/form-state";
import { saveSettings, sendTestWebhook } from "./actions";
import type { WebhookTestState } from "./form-state";

const EVENTS = Object.entries(WEBHOOK_EVENTS).map(([name, text]) => ({ name, text }));

const initialTest: WebhookTestState = { status: "idle" };

export function SettingsForm({ initial }: { initial: AppSettings }) {
  const [saved, dispatchSave, saving] = useActionState(saveSettings, idle);
  const [tested, dispatchTest, testing] = useActionState(sendTestWebhook, initialTest);
  // Whichever ran last owns the webhook field's error.
  const [last, setLast] = useState<"save" | "test">("save");
  // A test's result speaks of the URL it was sent to: any edit of the field since then hides it.
  const [urlEdits, setUrlEdits] = useState(0);
  const [editsAtTest, setEditsAtTest] = useState(0);
  const testCurrent = urlEdits === editsAtTest;
  const formRef = useRef<HTMLFormElement>(null);

  const errors = saved.fieldErrors ?? {};
  const webhookError = last === "test" ? (testCurrent ? tested.fieldErrors?.webhookUrl : undefined) : errors.webhookUrl;

  useEffect(() => {
    if (saved.status !== "error") return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [saved]);

  function sendTest() {
    if (!formRef.current) return;
    const formData = new FormData(formRef.current);
    setLast("test");
    setEditsAtTest(urlEdits);
    startTransition(() => dispatchTest(formData));
  }

  return (
    <ActionForm
      ref={formRef}
      action={(formData) => {
        setLast("save");
        dispatchSave(formData);
      }}
      noValidate
      aria-label="Settings"
      className="space-y-6"
    >
      {/* Re-read the saved (normalized) values after each successful save; never after an error. */}
      <div key={saved.nonce ?? 0} className="space-y-6">
        <Card>
          <CardHeader
            title="Let's Encrypt"
            description="Used when you click “Get Let's Encrypt certificate” on a site. Each order can still choose differently."
          />
          <CardContent className="space-y-5 py-5">
            <Field
              id="settings-acme-email"
              label="Account email"
              error={errors.acmeEmail}
              className="max-w-md"
              hint="Let's Encrypt sends expiry notices here if a renewal ever stops working. Leave empty to type one with each order."
            >
              <Input name="acmeEmail" type="email" defaultValue={initial.acmeEmail} autoComplete="email" placeholder="you@example.com" />
            </Field>
            <CheckboxField
              id="settings-acme-staging"
              name="acmeStaging"
              label="Use Let's Encrypt staging by default (for testing)"
              description="Staging certificates are not trusted by browsers, but you can order as often as you like while trying things out."
              defaultChecked={initial.acmeStaging}
              error={errors.acmeStaging}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader title="Notifications" description="Find out about certificate and upstream problems long before your visitors do." />
          <CardContent className="space-y-4 py-5">
            <Field
              id="settings-webhook-url"
              label="Webhook URL"
              optional
              error={webhookError}
              hint="We send a JSON POST here for each event below: point it at your own endpoint or an automation tool such as n8n."
            >
              <Input
                name="webhookUrl"
                type="url"
                defaultValue={initial.webhookUrl}
                autoComplete="off"
                onChange={() => setUrlEdits((edits) => edits + 1)}
                placeholder="https://hooks.example.com/gatekeeper"
                className="font-mono"
              />
            </Field>
            <ul aria-label="Events sent to the webhook" className="space-y-1 text-sm text-slate-600">
              {EVENTS.map((event) => (
                <li key={event.name}>
                  <code className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-800">{event.name}</code>: {event.text}
                </li>
              ))}
            </ul>
            <div className="flex flex-wrap items-center gap-3">
              <IfMayChange>
                <Button variant="secondary" onClick={sendTest} disabled={testing} aria-busy={testing || undefined}>
                  {testing ? <Spinner /> : null}
                  Send test
                </Button>
              </IfMayChange>
              {tested.status !== "idle" && tested.message && testCurrent && !testing && !(last === "test" && tested.fieldErrors) ? (
                <p
                  role="status"
                  data-testid="webhook-test-result"
                  data-ok={String(tested.ok === true)}
                  className={tested.ok ? "text-sm font-medium text-emerald-700" : "text-sm font-medium text-red-700"}
                >
                  {tested.ok ? "✓ " : "✗ "}
                  {tested.message}
                </p>
              ) : (
                <p className="text-sm text-slate-500">Sends a “test” event to the URL above, saved or not.</p>
              )}
            </div>
          </CardContent>
        </Card>
      </div>

      <div className="flex flex-wrap items-center justify-end gap-3">
        <div className="mr-auto min-w-0 flex-1">
          {saved.status === "error" && saved.message ? (
            <Alert tone="error" testId="form-error">
              {saved.message}
            </Alert>
          ) : null}
          {saved.status === "success" && saved.message ? (
            <Alert tone="success" testId="form-success">
              {saved.message}
            </Alert>
          ) : null}
        </div>
        <SubmitButton pending={saving}>Save settings</SubmitButton>
      </div>
    </ActionForm>
  );
}
