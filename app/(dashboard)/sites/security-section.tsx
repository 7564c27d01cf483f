"use client";

import Link from "next/link";
import { useState } from "react";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { Field } from "@/app/_components/ui/field";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { CustomHeadersEditor } from "./custom-headers-editor";
import { Section } from "./form-section";
import type { SecurityFormValues } from "./form-values";
import { RateLimitFields } from "./rate-limit-fields";
import { SecurityHeadersFields } from "./security-headers-fields";
import { TlsPolicyField } from "./tls-policy-field";

/** Who may visit, how much, and what the proxy adds or refuses on the site's behalf. */
export function SecuritySection({
  initial,
  accessLists,
  errors,
}: {
  initial: SecurityFormValues;
  accessLists: AccessListOption[];
  errors: Record<string, string[]>;
}) {
  const [accessListId, setAccessListId] = useState(initial.accessListId);
  const known = accessListId === "" || accessLists.some((list) => list.id === accessListId);
  const headerErrors = Object.keys(errors).some((name) => name === "customHeaders" || name.startsWith("header-"));

  return (
    <Section
      id="security"
      title="Security"
      description="Who may visit the site, how fast, and which attacks the proxy turns away before they reach your server."
    >
      <Field
        id="site-access-list"
        label="Access list"
        error={errors.accessListId}
        hint={
          <>
            Only visitors the list allows (by their address or with a login) can open the site.{" "}
            <Link href="/access-lists" className="text-indigo-700 underline">
              Manage access lists
            </Link>
          </>
        }
      >
        <Select name="accessListId" defaultValue={initial.accessListId} onChange={(event) => setAccessListId(event.currentTarget.value)}>
          <option value="">None (anyone can visit)</option>
          {!known ? <option value={accessListId}>Unknown access list</option> : null}
          {accessLists.map((list) => (
            <option key={list.id} value={list.id}>
              {list.name}
            </option>
          ))}
        </Select>
      </Field>

      <div className="divide-y divide-slate-100">
        <RateLimitFields initial={initial} errors={errors} />
        <SwitchField
          id="site-block-exploits"
          name="blockExploits"
          label="Block common exploits"
          description="Refuses requests that look like SQL injection, cross-site scripting, path traversal or known attack tools."
          defaultChecked={initial.blockExploits}
          error={errors.blockExploits}
        />
        <SecurityHeadersFields initial={initial} errors={errors} />
      </div>

      <details open={initial.customHeaders.length > 0 || headerErrors} className="group rounded-lg border border-slate-200 bg-slate-50/50">
        <summary className="flex cursor-pointer list-none items-start gap-2 px-4 py-3 text-sm select-none [&::-webkit-details-marker]:hidden">
          <svg viewBox="0 0 16 16" aria-hidden="true" className="mt-0.5 size-4 shrink-0 fill-slate-500 transition-transform group-open:rotate-90">
            <path d="M6 3.5 10.5 8 6 12.5V3.5Z" />
          </svg>
          <span className="min-w-0">
            <span className="font-medium text-slate-800">Custom headers</span>
            {headerErrors ? <span className="ml-2 font-medium text-red-700">· needs attention</span> : null}
            <span className="block text-slate-500">
              Add or remove headers on the request to your server or the response back to the visitor.
              {initial.customHeaders.length > 0 ? ` ${initial.customHeaders.length} saved.` : ""}
            </span>
          </span>
        </summary>
        <div className="border-t border-slate-200 px-4 py-4">
          <CustomHeadersEditor initial={initial.customHeaders} errors={errors} />
        </div>
      </details>

      <TlsPolicyField initial={initial.tlsPolicy} error={errors.tlsPolicy} />
    </Section>
  );
}
