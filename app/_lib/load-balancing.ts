import { loadBalancingPolicies, type LoadBalancingPolicy } from "@/lib/schemas/upstream-health";

interface PolicyText {
  /** In the select: what it is and what it does, in plain words. */
  label: string;
  /** Short, for the site page: "Round robin". */
  name: string;
  /** Under the select once chosen: when to pick it. */
  hint: string;
}

export const POLICY_TEXT: Record<LoadBalancingPolicy, PolicyText> = {
  round_robin: {
    label: "Round robin — take turns",
    name: "Round robin",
    hint: "Each server gets the next visitor in turn: an even share for all. Right for most sites.",
  },
  weighted: {
    label: "Weighted — more traffic to bigger servers",
    name: "Weighted",
    hint: "Write weight=N after an address above: a server with weight=3 gets three times the traffic of one with weight=1 (the default).",
  },
  least_conn: {
    label: "Least connections — the least busy server",
    name: "Least connections",
    hint: "Each request goes to the server with the fewest open requests. Good when some requests take much longer than others.",
  },
  ip_hash: {
    label: "IP hash — each visitor sticks to one server",
    name: "IP hash",
    hint: "A visitor keeps landing on the same server. Pick this when your app keeps logins or carts in one server's memory.",
  },
  failover: {
    label: "Failover — the first healthy server; the others are backups",
    name: "Failover",
    hint: "All traffic goes to the first server above. The next ones, in order, take over only while it is down.",
  },
};

export const POLICY_OPTIONS = loadBalancingPolicies.map((policy) => ({ value: policy, label: POLICY_TEXT[policy].label }));

export function policyName(policy: string): string {
  return POLICY_TEXT[policy as LoadBalancingPolicy]?.name ?? policy;
}
