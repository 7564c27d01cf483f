"use client";

import { useActionState, useState } from "react";
import type { UnknownHost } from "@/lib/schemas/settings";
import { ActionForm } from "@/app/_components/action-form";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { Field, FieldErrorText } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Textarea } from "@/app/_components/ui/textarea";
import { idle } from "@/app/_lib/form-state";
import { saveUnknownHost } from "./unknown-host-actions";

type Action = UnknownHost["action"];

const CHOICES: Array<{ action: Action; label: string; hint: string }> = [
  { action: "not_found", label: "Show a “not found” page", hint: "The visitor sees that there is no website at this address (404)." },
  { action: "redirect", label: "Send visitors to another address", hint: "For example your main website. Browsers follow it at once (302)." },
  {
    action: "drop",
    label: "Give no answer at all",
    hint: "The connection is closed without a word, which tells scanners nothing. Visitors see a connection error.",
  },
];

/** Settings › Unknown addresses: what a visitor gets for a hostname that points here but belongs to no site. */
export function UnknownHostSection({ current }: { current: UnknownHost }) {
  const [state, dispatch, pending] = useActionState(saveUnknownHost, idle);
  const [action, setAction] = useState<Action>(current.action);
  const errors = state.fieldErrors ?? {};
  return (
    <Card className="mt-8" data-testid="unknown-host-settings">
      <CardHeader
        titleId="unknown-host-title"
        title="Unknown addresses"
        description="What visitors get when they reach this server by a name that belongs to none of your sites, or by its bare IP address."
      />
      <CardContent className="py-5">
        <ActionForm action={dispatch} noValidate aria-labelledby="unknown-host-title" className="space-y-4">
          {/* Re-read the saved setting after each successful save; never after an error. */}
          <div key={state.nonce ?? 0} className="space-y-4">
            <fieldset aria-describedby={errors["unknownHost.action"] ? "unknown-host-action-error" : undefined}>
              <legend className="text-sm font-medium text-slate-800">Visitors to an unknown address</legend>
              <div className="mt-2 space-y-2">
                {CHOICES.map((choice) => (
                  <label
                    key={choice.action}
                    className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 has-checked:border-indigo-300 has-checked:bg-indigo-50/50"
                  >
                    <input
                      type="radio"
                      name="action"
                      value={choice.action}
                      defaultChecked={current.action === choice.action}
                      onChange={() => setAction(choice.action)}
                      aria-describedby={`unknown-host-${choice.action}-hint`}
                      className="mt-1 size-4 shrink-0 accent-indigo-600"
                    />
                    <span className="min-w-0">
                      <span className="block text-sm font-medium text-slate-800">{choice.label}</span>
                      <span id={`unknown-host-${choice.action}-hint`} className="block text-sm text-slate-500">
                        {choice.hint}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
              <FieldErrorText id="unknown-host-action" error={errors["unknownHost.action"]} />
            </fieldset>
            {/* Hidden rather than removed, so what was typed survives a change of mind. */}
            <div hidden={action !== "redirect"}>
              <Field
                id="settings-unknown-host-redirect"
                label="Send them to"
                error={errors["unknownHost.redirectTo"]}
                className="max-w-xl"
                hint="A full address starting with https:// or http://."
              >
                <Input
                  name="redirectTo"
                  type="url"
                  defaultValue={current.redirectTo ?? ""}
                  autoComplete="off"
                  placeholder="https://www.example.com"
                  className="font-mono"
                />
              </Field>
            </div>
            <div hidden={action !== "not_found"}>
              <Field
                id="settings-unknown-host-page"
                label="Your own page (HTML)"
                optional
                error={errors["unknownHost.page"]}
                hint="Leave empty for the built-in page. Up to 64 KB."
              >
                <Textarea name="page" rows={5} mono defaultValue={current.page ?? ""} placeholder={"<!doctype html>\n<h1>Nothing here</h1>"} />
              </Field>
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending}>Save</SubmitButton>
            <FormResult state={state} testIds={{ error: "unknown-host-error", success: "unknown-host-saved" }} />
          </div>
        </ActionForm>
      </CardContent>
    </Card>
  );
}
