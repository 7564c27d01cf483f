"use client";

import Link from "next/link";
import { useState } from "react";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { Field } from "@/app/_components/ui/field";
import { Select } from "@/app/_components/ui/select";
import { SwitchField } from "@/app/_components/ui/switch";
import { Section } from "./form-section";
import type { SiteFormValues } from "./form-values";
import { RateLimitFields } from "./rate-limit-fields";
import { SecurityHeadersFields } from "./security-headers-fields";

export const PROTECTION_SECTION_ID = "protection-settings";

/** Who may visit, how much, and what the proxy refuses or adds on the site's behalf. */
export function SecuritySection({
  initial,
  accessLists,
  errors,
  passthrough = false,
}: {
  initial: SiteFormValues;
  accessLists: AccessListOption[];
  errors: Record<string, string[]>;
  /** The proxy never decrypts the site: only the client's address can be checked. */
  passthrough?: boolean;
}) {
  const [accessListId, setAccessListId] = useState(initial.accessListId);
  const known = accessListId === "" || accessLists.some((list) => list.id === accessListId);

  return (
    <Section
      id={PROTECTION_SECTION_ID}
      title="Protection"
      description="Who may visit the site, how fast, and which attacks the proxy turns away before they reach your server."
    >
      <Field
        id="site-access-list"
        label="Access list"
        error={errors.accessListId}
        hint={
          <>
            {passthrough
              ? "Only visitors from the addresses the list allows can connect. A pass-through site cannot ask for a login: the list's users do not apply. "
              : "Only visitors the list allows (by their address or with a login) can open the site. "}
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

      {passthrough ? (
        <p data-testid="not-for-passthrough" className="text-sm text-slate-500">
          <span className="font-medium text-slate-700">Rate limit, exploit blocking and security headers</span>: not used with TLS pass-through. They
          work on requests, which the proxy never sees.
        </p>
      ) : null}
      <div hidden={passthrough} className="divide-y divide-slate-100">
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
    </Section>
  );
}
