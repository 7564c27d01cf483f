/** What an access list holds, counted: enough to describe what it does. */
export interface RuleCounts {
  allowed: number;
  denied: number;
  users: number;
  satisfy: "any" | "all";
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line for the list page: "2 allowed, 1 denied, 3 users, satisfy any". */
export function rulesSummary({ allowed, denied, users, satisfy }: RuleCounts): string {
  const parts = [`${allowed} allowed`, `${denied} denied`, count(users, "user", "users")];
  // Satisfy only matters with both addresses and users; elsewhere it would only puzzle.
  if (allowed > 0 && users > 0) parts.push(`satisfy ${satisfy}`);
  return parts.join(", ");
}

/**
 * What the proxy does with these rules, in plain words (the semantics of
 * proxy/security/access-list.ts): denied addresses are always refused; with allowed addresses,
 * others are refused unless users may log in ("any") or allowed addresses must also log in ("all").
 */
export function rulesEffect({ allowed, denied, users, satisfy }: RuleCounts): string {
  const refusedToo = denied > 0 ? " Denied addresses are always refused." : "";
  if (users === 0) {
    if (allowed > 0) return `Only visitors from the allowed addresses get in.${refusedToo}`;
    if (denied > 0) return "Visitors from the denied addresses are refused; everyone else gets in.";
    return "Lets everyone in: add addresses or users to restrict access.";
  }
  if (allowed === 0) return `Every visitor must log in.${refusedToo}`;
  if (satisfy === "any") return `Visitors from the allowed addresses get in directly; everyone else must log in.${refusedToo}`;
  return `Only visitors from the allowed addresses can log in, and they must.${refusedToo}`;
}
