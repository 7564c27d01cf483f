"use client";

import { useState, type ReactNode } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { Card } from "@/app/_components/ui/card";
import { Field, FieldErrorText } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Textarea } from "@/app/_components/ui/textarea";
import type { AccessListFormValues } from "./form-values";
import { rulesEffect } from "./rules-text";
import { UserRows } from "./user-rows";
import { FormFooter } from "@/app/_components/form-footer";
import { useEditForm, type FormAction } from "@/app/_lib/use-edit-form";

type Satisfy = AccessListFormValues["satisfy"];

export function AccessListForm({
  action,
  initial,
  version = "new",
  submitLabel,
  cancelHref,
}: {
  action: FormAction;
  initial: AccessListFormValues;
  /** Changes whenever the saved list changes (its updatedAt), also from outside this form. */
  version?: string;
  submitLabel: string;
  cancelHref: string;
}) {
  const { state, dispatch, pending, formRef, fieldsKey, markDirty } = useEditForm(action, version);

  return (
    <ActionForm ref={formRef} action={dispatch} noValidate aria-label="Access list settings" onInput={markDirty}>
      <Card className="divide-y divide-slate-100">
        <AccessListFields key={fieldsKey} initial={initial} errors={state.fieldErrors ?? {}} />
        <FormFooter state={state} cancelHref={cancelHref} pending={pending} submitLabel={submitLabel} />
      </Card>
    </ActionForm>
  );
}

function Section({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section className="grid gap-4 px-5 py-6 sm:px-6 md:grid-cols-3 md:gap-8">
      <div>
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        <p className="mt-1 text-sm text-slate-500">{description}</p>
      </div>
      <div className="space-y-5 md:col-span-2">{children}</div>
    </section>
  );
}

/**
 * Counts entries as lib/schemas/ip-range.ts splitIpRangeText does (which the browser cannot
 * import: that file checks addresses with node:net). Only for the live description; the server
 * splits and checks for real.
 */
const entries = (value: string): number => value.split(/[\s,]+/).filter((entry) => entry !== "").length;

function AccessListFields({ initial, errors }: { initial: AccessListFormValues; errors: Record<string, string[]> }) {
  // Tracked only to describe, live, what the rules do as they are typed.
  const [allow, setAllow] = useState(initial.allow);
  const [deny, setDeny] = useState(initial.deny);
  const [usernames, setUsernames] = useState(initial.users.map((user) => user.username));
  const [satisfy, setSatisfy] = useState<Satisfy>(initial.satisfy);
  const counts = { allowed: entries(allow), denied: entries(deny), users: usernames.filter((name) => name.trim() !== "").length, satisfy };

  return (
    <>
      <Section title="Access list" description="A name for you. Visitors asked to log in see it in the browser's login box.">
        <Field id="access-list-name" label="List name" error={errors.name} hint="For example “Office only” or “Staff”.">
          <Input name="name" defaultValue={initial.name} autoComplete="off" maxLength={100} />
        </Field>
        <p data-testid="rules-effect" className="rounded-md border border-indigo-100 bg-indigo-50/60 px-3 py-2 text-sm text-indigo-900">
          {rulesEffect(counts)}
        </p>
      </Section>

      <Section
        title="Addresses"
        description="IP addresses or ranges (IPv4 or IPv6), one per line or separated by commas or spaces. Behind a CDN or load balancer, list it as a trusted proxy in Settings, so that the visitor's own address is the one checked."
      >
        <Field
          id="access-list-allow"
          label="Allowed IP addresses"
          optional
          error={errors.allow}
          hint="Like 203.0.113.7 or 10.0.0.0/8. When you list any, other addresses are refused (or must log in, see below)."
        >
          <Textarea
            name="allow"
            rows={4}
            mono
            defaultValue={initial.allow}
            onChange={(event) => setAllow(event.currentTarget.value)}
            placeholder={"10.0.0.0/8\n2001:db8::/32"}
            autoCapitalize="off"
          />
        </Field>
        <Field id="access-list-deny" label="Denied IP addresses" optional error={errors.deny} hint="Always refused, even with a password.">
          <Textarea
            name="deny"
            rows={3}
            mono
            defaultValue={initial.deny}
            onChange={(event) => setDeny(event.currentTarget.value)}
            placeholder="192.0.2.13"
            autoCapitalize="off"
          />
        </Field>
      </Section>

      <Section
        title="Users"
        description="Visitors log in with one of these usernames and passwords when the browser asks. Passwords are stored as hashes and never shown again. Give sites with users an HTTPS certificate: over plain HTTP, passwords travel unencrypted."
      >
        <div>
          <UserRows initial={initial.users} errors={errors} onUsernamesChange={setUsernames} />
          <FieldErrorText id="access-list-users" error={errors.basicAuth} />
        </div>
      </Section>

      <Section title="Addresses and users together" description="Only matters when the list has both allowed addresses and users.">
        <SatisfyChoice value={satisfy} onChange={setSatisfy} error={errors.satisfy} />
      </Section>
    </>
  );
}

const SATISFY_OPTIONS: { value: Satisfy; label: string; description: string }[] = [
  {
    value: "any",
    label: "Allowed addresses OR a login",
    description: "Visitors from an allowed address get in without a password; everyone else must log in.",
  },
  {
    value: "all",
    label: "Allowed addresses AND a login",
    description: "Only visitors from an allowed address may log in, and they must. Everyone else is refused.",
  },
];

function SatisfyChoice({ value, onChange, error }: { value: Satisfy; onChange: (value: Satisfy) => void; error?: string[] }) {
  return (
    <fieldset aria-describedby={error?.length ? "access-list-satisfy-error" : undefined}>
      <legend className="mb-2 text-sm font-medium text-slate-800">Who gets in</legend>
      <div className="space-y-3">
        {SATISFY_OPTIONS.map((option) => {
          const id = `access-list-satisfy-${option.value}`;
          return (
            <div key={option.value} className="flex items-start gap-3">
              <input
                type="radio"
                id={id}
                name="satisfy"
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
                aria-describedby={`${id}-hint`}
                className="mt-0.5 size-4 shrink-0 cursor-pointer accent-indigo-600"
              />
              <div className="min-w-0">
                <label htmlFor={id} className="cursor-pointer text-sm font-medium text-slate-800">
                  {option.label}
                </label>
                <p id={`${id}-hint`} className="text-sm text-slate-500">
                  {option.description}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <FieldErrorText id="access-list-satisfy" error={error} />
    </fieldset>
  );
}
