"use client";

import { Field } from "@/app/_components/ui/field";
import { Select } from "@/app/_components/ui/select";
import { POLICY_OPTIONS, POLICY_TEXT } from "@/app/_lib/load-balancing";
import { parseUpstreamLines } from "@/app/_lib/upstream-lines";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import { Section } from "./form-section";

/** The policy, explained against the upstream lines as they are typed (weights, how many). */
export function LoadBalancingSection({
  policy,
  onPolicy,
  upstreams,
  error,
}: {
  policy: LoadBalancingPolicy;
  onPolicy: (policy: LoadBalancingPolicy) => void;
  upstreams: string;
  error?: string[];
}) {
  const lines = parseUpstreamLines(upstreams).items;
  const weighted = lines.some((line) => line.weight !== undefined && line.weight !== 1);
  return (
    <Section title="Load balancing" description="How visitors are shared out when a site has more than one upstream server.">
      <Field
        id="site-policy"
        label="Load balancing"
        error={error}
        hint={
          <>
            {POLICY_TEXT[policy]?.hint}
            {lines.length < 2 ? " With a single upstream server this changes nothing yet." : null}
          </>
        }
      >
        <Select name="loadBalancing.policy" defaultValue={policy} onChange={(event) => onPolicy(event.currentTarget.value as LoadBalancingPolicy)}>
          {POLICY_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      {weighted && policy !== "weighted" ? (
        <p data-testid="weights-unused" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Your upstream servers have weights, but only “Weighted” uses them. You can still save.
        </p>
      ) : null}
    </Section>
  );
}
