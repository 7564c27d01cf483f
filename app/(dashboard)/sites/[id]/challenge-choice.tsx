"use client";

import Link from "next/link";
import { Field, FieldErrorText } from "@/app/_components/ui/field";
import { Select } from "@/app/_components/ui/select";
import type { AcmeChallenge } from "@/lib/schemas/certificate";
import type { DnsProviderOption } from "./https-state";

const CHOICES: { value: AcmeChallenge; label: string; description: string }[] = [
  {
    value: "http-01",
    label: "HTTP (this proxy answers on port 80)",
    description: "Every name must point at this server, with port 80 open.",
  },
  {
    value: "dns-01",
    label: "DNS (a TXT record at your DNS provider)",
    description: "Works for names that do not reach this server, and is the only way to a wildcard.",
  },
];

/**
 * How Let's Encrypt checks the names, and for DNS the provider that creates the TXT records.
 * `dnsOnly` (a wildcard): no choice to make, only the provider.
 */
export function ChallengeChoice({
  value,
  onChange,
  providers,
  errors,
  dnsOnly = false,
}: {
  value: AcmeChallenge;
  onChange: (value: AcmeChallenge) => void;
  providers: DnsProviderOption[];
  errors: Record<string, string[]>;
  dnsOnly?: boolean;
}) {
  return (
    <div className="space-y-3">
      {dnsOnly ? (
        <input type="hidden" name="challenge" value="dns-01" />
      ) : (
        <fieldset aria-describedby={errors.challenge?.length ? "acme-challenge-error" : undefined}>
          <legend className="mb-2 text-sm font-medium text-slate-800">How should Let&apos;s Encrypt check the names?</legend>
          <div className="space-y-3">
            {CHOICES.map((choice) => {
              const id = `acme-challenge-${choice.value}`;
              return (
                <div key={choice.value} className="flex items-start gap-3">
                  <input
                    type="radio"
                    id={id}
                    name="challenge"
                    value={choice.value}
                    checked={value === choice.value}
                    onChange={() => onChange(choice.value)}
                    aria-describedby={`${id}-hint`}
                    className="mt-0.5 size-4 shrink-0 cursor-pointer accent-indigo-600"
                  />
                  <div className="min-w-0">
                    <label htmlFor={id} className="cursor-pointer text-sm font-medium text-slate-800">
                      {choice.label}
                    </label>
                    <p id={`${id}-hint`} className="text-sm text-slate-500">
                      {choice.description}
                    </p>
                  </div>
                </div>
              );
            })}
          </div>
          <FieldErrorText id="acme-challenge" error={errors.challenge} />
        </fieldset>
      )}
      {value === "dns-01" ? <ProviderSelect providers={providers} error={errors.dnsProviderId} indented={!dnsOnly} /> : null}
    </div>
  );
}

function ProviderSelect({ providers, error, indented }: { providers: DnsProviderOption[]; error?: string[]; indented: boolean }) {
  if (providers.length === 0) {
    return (
      <div className={indented ? "pl-7" : undefined}>
        <p data-testid="acme-no-dns-provider" className="text-sm text-slate-600">
          No DNS provider yet: add the DNS host of your domain first.{" "}
          <Link href="/dns-providers/new" className="font-medium text-indigo-700 underline">
            Add a DNS provider
          </Link>
        </p>
        <FieldErrorText id="acme-dns-provider" error={error} />
      </div>
    );
  }
  return (
    <Field
      id="acme-dns-provider"
      label="DNS provider"
      error={error}
      className={indented ? "max-w-md pl-7" : "max-w-md"}
      hint={
        <>
          It creates the TXT records, and again at every renewal.{" "}
          <Link href="/dns-providers/new" className="text-indigo-700 underline">
            Add another
          </Link>
        </>
      }
    >
      <Select name="dnsProviderId" defaultValue={providers[0]?.id}>
        {providers.map((provider) => (
          <option key={provider.id} value={provider.id}>
            {provider.name} ({provider.typeLabel})
          </option>
        ))}
      </Select>
    </Field>
  );
}
