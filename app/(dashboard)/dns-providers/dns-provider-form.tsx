"use client";

import { useState, type ReactNode } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { FormFooter } from "@/app/_components/form-footer";
import { Card } from "@/app/_components/ui/card";
import { Field } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { useEditForm, type FormAction } from "@/app/_lib/use-edit-form";
import type { DnsProviderType } from "@/lib/schemas/dns-provider";
import { fieldName, type DnsProviderFormValues, type ProviderFieldView, type ProviderTypeView } from "./form-values";

export function DnsProviderForm({
  action,
  types,
  initial,
  version = "new",
  submitLabel,
  cancelHref,
}: {
  action: FormAction;
  types: ProviderTypeView[];
  initial: DnsProviderFormValues;
  /** Changes whenever the saved provider changes (its updatedAt), also from outside this form. */
  version?: string;
  submitLabel: string;
  cancelHref: string;
}) {
  const { state, dispatch, pending, formRef, fieldsKey, markDirty } = useEditForm(action, version);
  return (
    <ActionForm ref={formRef} action={dispatch} noValidate aria-label="DNS provider settings" onInput={markDirty}>
      <Card className="divide-y divide-slate-100">
        <ProviderFields key={fieldsKey} types={types} initial={initial} errors={state.fieldErrors ?? {}} />
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

function ProviderFields({ types, initial, errors }: { types: ProviderTypeView[]; initial: DnsProviderFormValues; errors: Record<string, string[]> }) {
  const [type, setType] = useState<DnsProviderType>(initial.type);
  const view = types.find((candidate) => candidate.type === type) ?? types[0];
  // Back on the saved type, the saved settings come back; another type starts empty.
  const values = type === initial.savedType || initial.savedType === null ? initial.settings : {};
  const keepsCredentials = initial.savedType !== null && type === initial.savedType;

  return (
    <>
      <Section
        title="DNS provider"
        description="Where your domain's DNS is hosted. Let's Encrypt then checks a TXT record there instead of a request on port 80."
      >
        <Field id="dns-provider-name" label="Name" error={errors.name} hint="For you, e.g. “Company BIND” or “Cloudflare, main account”.">
          <Input name="name" defaultValue={initial.name} autoComplete="off" maxLength={100} />
        </Field>
        <Field id="dns-provider-type" label="Type" error={errors.type}>
          <Select name="type" value={type} onChange={(event) => setType(event.currentTarget.value as DnsProviderType)}>
            {types.map((option) => (
              <option key={option.type} value={option.type}>
                {option.label}
              </option>
            ))}
          </Select>
        </Field>
      </Section>
      {view ? (
        // Keyed on the type: switching shows that type's fields, empty.
        <TypeFields key={view.type} view={view} values={values} keepsCredentials={keepsCredentials} errors={errors} />
      ) : null}
    </>
  );
}

function TypeFields({
  view,
  values,
  keepsCredentials,
  errors,
}: {
  view: ProviderTypeView;
  values: Record<string, string>;
  keepsCredentials: boolean;
  errors: Record<string, string[]>;
}) {
  if (view.settings.length === 0 && view.credentials.length === 0) {
    return (
      <Section title="Nothing to connect" description="This type needs no settings.">
        <p data-testid="dns-provider-no-fields" className="text-sm text-slate-600">
          When you order a certificate, the order shows the TXT record to add at your DNS host, and waits until the zone&apos;s name servers answer
          with it.
        </p>
      </Section>
    );
  }
  return (
    <>
      {view.settings.length > 0 ? (
        <Section title="Settings" description="Shown again when you edit.">
          {view.settings.map((field) => (
            <SettingField key={field.key} field={field} value={values[field.key]} error={errors[fieldName("settings", field.key)]} />
          ))}
        </Section>
      ) : null}
      {view.credentials.length > 0 ? (
        <Section
          title="Credentials"
          description="Stored encrypted and never shown again, not even here. Give the key or token only the rights to change DNS records."
        >
          {view.credentials.map((field) => (
            <CredentialField key={field.key} field={field} keep={keepsCredentials} error={errors[fieldName("credentials", field.key)]} />
          ))}
        </Section>
      ) : null}
    </>
  );
}

const fieldId = (group: string, key: string) => `dns-provider-${group}-${key}`;

function SettingField({ field, value, error }: { field: ProviderFieldView; value: string | undefined; error?: string[] }) {
  const name = fieldName("settings", field.key);
  return (
    <Field id={fieldId("settings", field.key)} label={field.label} optional={field.optional && !field.options} hint={field.help} error={error}>
      {field.options ? (
        <Select name={name} defaultValue={value ?? field.defaultValue ?? field.options[0]}>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </Select>
      ) : (
        <Input
          name={name}
          defaultValue={value ?? ""}
          placeholder={field.placeholder ?? field.defaultValue}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
      )}
    </Field>
  );
}

function CredentialField({ field, keep, error }: { field: ProviderFieldView; keep: boolean; error?: string[] }) {
  const hint = [field.help ? field.help.replace(/\.?$/, ".") : null, keep ? "Leave empty to keep the saved one." : null].filter(Boolean).join(" ");
  return (
    <Field id={fieldId("credentials", field.key)} label={field.label} hint={hint || undefined} error={error}>
      <Input
        name={fieldName("credentials", field.key)}
        type="password"
        placeholder={keep ? "Unchanged" : field.placeholder}
        // Keeps the browser from filling in the dashboard's own password here.
        autoComplete="new-password"
        spellCheck={false}
      />
    </Field>
  );
}
