"use client";

import type { TlsMode } from "@/lib/schemas/site";
import { CheckboxField } from "@/app/_components/ui/checkbox";
import { FieldErrorText } from "@/app/_components/ui/field";
import { Section } from "./form-section";
import { lossWords, type PassthroughLosses } from "./tls-mode-form";

const MODES: { value: TlsMode; label: string; hint: string }[] = [
  {
    value: "terminate",
    label: "Decrypt here (terminate TLS)",
    hint: "The proxy holds the certificate, decrypts each visit and can route, cache, compress and protect it. Right for most sites.",
  },
  {
    value: "passthrough",
    label: "Pass through to the upstream (the upstream holds the certificate)",
    hint: "The proxy picks the site by the name the browser asks for and passes the encrypted connection on untouched. For servers that must keep their own certificate, or that speak TLS but not HTTP.",
  },
];

/** How the HTTPS port serves the site: decrypted here, or passed through to an upstream that decrypts. */
export function TlsModeSection({
  mode,
  onMode,
  proxyProtocol,
  losses,
  errors,
}: {
  mode: TlsMode;
  onMode: (mode: TlsMode) => void;
  proxyProtocol: boolean;
  losses: PassthroughLosses;
  errors: Record<string, string[]>;
}) {
  const lost = lossWords(losses);
  return (
    <Section title="HTTPS port" description="How the proxy serves this site's https:// visitors.">
      <fieldset aria-describedby={errors.tlsMode?.length ? "site-tls-mode-error" : undefined}>
        <legend className="mb-2 text-sm font-medium text-slate-800">TLS</legend>
        <div className="space-y-2">
          {MODES.map((option) => (
            <label
              key={option.value}
              className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 has-checked:border-indigo-300 has-checked:bg-indigo-50/50"
            >
              <input
                type="radio"
                name="tlsMode"
                value={option.value}
                checked={mode === option.value}
                onChange={() => onMode(option.value)}
                aria-describedby={`site-tls-mode-${option.value}-hint`}
                aria-invalid={errors.tlsMode?.length ? true : undefined}
                className="mt-1 size-4 shrink-0 accent-indigo-600"
              />
              <span className="min-w-0">
                <span className="block text-sm font-medium text-slate-800">{option.label}</span>
                <span id={`site-tls-mode-${option.value}-hint`} className="block text-sm text-slate-500">
                  {option.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrorText id="site-tls-mode" error={errors.tlsMode} />
      </fieldset>
      {mode === "passthrough" ? (
        <>
          <CheckboxField
            id="site-proxy-protocol"
            name="proxyProtocol"
            label="Tell the upstream the visitor's address (PROXY protocol v2)"
            description="Each connection to the upstream starts with a short header naming the visitor's address. Only if the upstream expects it (nginx: proxy_protocol, HAProxy: accept-proxy): others refuse the connection."
            defaultChecked={proxyProtocol}
            error={errors.proxyProtocol}
          />
          <p data-testid="passthrough-note" className="rounded-md border border-indigo-100 bg-indigo-50/60 px-3 py-2 text-sm text-indigo-900">
            Upstream servers are written tcp://host:port. The proxy never sees the requests, so routing, caching, compression, headers and
            request-based protection do not apply.
            {lost ? <span className="mt-1 block font-medium">Saving removes {lost}.</span> : null}
          </p>
        </>
      ) : null}
    </Section>
  );
}
