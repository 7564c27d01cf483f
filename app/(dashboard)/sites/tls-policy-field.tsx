import { FieldErrorText } from "@/app/_components/ui/field";
import type { TlsPolicy } from "@/lib/schemas/site-security";
import { TLS_POLICY_TEXT } from "./security-labels";

const POLICIES: TlsPolicy[] = ["intermediate", "modern"];

/** Which TLS versions HTTPS visitors may use: two radios, each with what it means in practice. */
export function TlsPolicyField({ initial, error }: { initial: TlsPolicy; error?: string[] }) {
  return (
    <fieldset aria-describedby={error?.length ? "site-tls-policy-error" : undefined}>
      <legend className="text-sm font-medium text-slate-800">HTTPS versions (TLS)</legend>
      <p className="text-sm text-slate-500">Applies to visitors on https://, once the site has a certificate.</p>
      <div className="mt-2 space-y-2">
        {POLICIES.map((policy) => (
          <label
            key={policy}
            className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 has-checked:border-indigo-300 has-checked:bg-indigo-50/50"
          >
            <input
              type="radio"
              name="tlsPolicy"
              value={policy}
              defaultChecked={initial === policy}
              aria-describedby={`site-tls-${policy}-hint`}
              aria-invalid={error?.length ? true : undefined}
              className="mt-1 size-4 shrink-0 accent-indigo-600"
            />
            <span className="min-w-0">
              <span className="block text-sm font-medium text-slate-800">{TLS_POLICY_TEXT[policy].label}</span>
              <span id={`site-tls-${policy}-hint`} className="block text-sm text-slate-500">
                {TLS_POLICY_TEXT[policy].hint}
              </span>
            </span>
          </label>
        ))}
      </div>
      <FieldErrorText id="site-tls-policy" error={error} />
    </fieldset>
  );
}
