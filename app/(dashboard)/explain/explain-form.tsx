"use client";

import { useActionState } from "react";
import { STRANGER_ADDRESS } from "@/lib/schemas/explain";
import { ActionForm } from "@/app/_components/action-form";
import { FormResult } from "@/app/_components/form-result";
import { SubmitButton } from "@/app/_components/submit-button";
import { Card, CardContent } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Textarea } from "@/app/_components/ui/textarea";
import { explainAction, type ExplainState } from "./actions";
import { explanationSteps } from "./explanation-steps";

const IDLE: ExplainState = { status: "idle" };

export function ExplainForm() {
  const [state, dispatch, pending] = useActionState(explainAction, IDLE);
  const errors = state.fieldErrors ?? {};
  return (
    <>
      <Card>
        <CardContent className="py-5">
          <ActionForm action={dispatch} noValidate aria-label="Request to explain" className="space-y-4">
            <Field id="explain-url" label="Address" error={errors.url} hint="The full address a visitor opens, with http:// or https://.">
              <Input name="url" type="url" required placeholder="https://shop.example.com/cart" autoCapitalize="off" spellCheck={false} />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="explain-method" label="Method" optional error={errors.method}>
                <Input name="method" placeholder="GET" autoCapitalize="characters" spellCheck={false} />
              </Field>
              <Field
                id="explain-client"
                label="Visitor's address"
                optional
                error={errors.clientIp}
                hint={`Leave empty for a visitor from the internet (${STRANGER_ADDRESS}).`}
              >
                <Input name="clientIp" placeholder={STRANGER_ADDRESS} autoCapitalize="off" spellCheck={false} />
              </Field>
            </div>
            <Field
              id="explain-headers"
              label="Headers"
              optional
              error={errors.headers}
              hint="One per line, like Authorization: Basic … or X-Version: 2."
            >
              <Textarea name="headers" rows={3} mono autoCapitalize="off" spellCheck={false} />
            </Field>
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton pending={pending}>Explain</SubmitButton>
              <FormResult state={state} testIds={{ error: "explain-error", success: "explain-done" }} />
            </div>
          </ActionForm>
        </CardContent>
      </Card>
      {state.explanation && state.asked ? (
        <Card className="mt-6" data-testid="explanation">
          <CardContent className="py-5">
            <h2 className="text-base font-semibold text-slate-900">What the proxy would do</h2>
            <ol className="mt-3 space-y-3">
              {explanationSteps(state.explanation, new URL(state.asked).hostname).map((step) => (
                <li key={step.title} className="text-sm">
                  <span className="font-medium text-slate-900">{step.title}: </span>
                  <span className="text-slate-700 break-words">{step.detail}</span>
                </li>
              ))}
            </ol>
          </CardContent>
        </Card>
      ) : null}
    </>
  );
}
