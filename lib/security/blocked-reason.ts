import { exploitCategoryLabel, type ExploitCategory } from "./exploit-categories";
import { EXPLOIT_RULES } from "./exploit-rules";

const RULES_BY_ID = new Map(EXPLOIT_RULES.map((rule) => [rule.id, rule]));

/** Which protection refused a request, as the access log records it in `blockedBy`. */
export type BlockedKind = "rate-limit" | "connection-limit" | "access-list" | "exploit";

/** The `blockedBy` prefix of the "Block common exploits" rules: "exploit:<rule id>". */
export const EXPLOIT_BLOCKED_PREFIX = "exploit:";

export interface BlockedReason {
  /** null for a value this dashboard does not know (a newer proxy's), shown as it is. */
  kind: BlockedKind | null;
  /** Short words for a badge: "Rate limit", "SQL injection", "Exploit pattern (rule-id)". */
  label: string;
  /** One sentence on what happened, for a tooltip or a second line. */
  description: string;
  /**
   * For a known exploit rule, what follows the label: its description without a repeat of the
   * category ("SQL injection: UNION SELECT ..." gives "UNION SELECT ...").
   */
  detail?: string;
  /** Label and detail: "SQL injection: UNION SELECT pulls data from other tables", "Rate limit". */
  text: string;
  /** The exploit rule's id, for "exploit:<rule id>". */
  ruleId?: string;
  /** The exploit rule's category, when the rule is known. */
  category?: ExploitCategory;
}

const FIXED: Record<Exclude<BlockedKind, "exploit">, { label: string; description: string }> = {
  "rate-limit": {
    label: "Rate limit",
    description: "The client sent more requests per second than the site's rate limit allows",
  },
  "connection-limit": {
    label: "Too many connections",
    description: "The client already had as many requests in progress as the site allows per address",
  },
  "access-list": {
    label: "Access list",
    description: "The site's access list refused the client's address, or asked for a password",
  },
};

/**
 * Many rule descriptions start with their category ("Cross-site scripting: a <script> tag"), which
 * the label already says ("Cross-site scripting (XSS)"): that start is left out.
 */
function withoutCategory(description: string, label: string): string {
  const colon = description.indexOf(": ");
  if (colon < 0) return description;
  const start = description.slice(0, colon).toLowerCase();
  const name = label.replace(/\s*\(.*\)$/, "").toLowerCase();
  return start === name ? description.slice(colon + 2) : description;
}

/**
 * The plain words for an access-log entry's `blockedBy`: "Rate limit", "Too many connections",
 * "Access list", or for "exploit:<rule id>" the rule's category and description. A rule this
 * dashboard cannot describe is shown as "Exploit pattern (<rule id>)".
 */
export function blockedReason(blockedBy: string): BlockedReason {
  if (blockedBy.startsWith(EXPLOIT_BLOCKED_PREFIX)) {
    const ruleId = blockedBy.slice(EXPLOIT_BLOCKED_PREFIX.length);
    const rule = RULES_BY_ID.get(ruleId);
    if (rule === undefined) {
      const label = `Exploit pattern (${ruleId})`;
      return { kind: "exploit", label, description: "A \u201cBlock common exploits\u201d rule refused the request", text: label, ruleId };
    }
    const label = exploitCategoryLabel(rule.category);
    const detail = withoutCategory(rule.description, label);
    return { kind: "exploit", label, description: rule.description, detail, text: `${label}: ${detail}`, ruleId, category: rule.category };
  }
  if (Object.hasOwn(FIXED, blockedBy)) {
    const kind = blockedBy as keyof typeof FIXED;
    const { label, description } = FIXED[kind];
    return { kind, label, description, text: label };
  }
  return { kind: null, label: blockedBy, description: "A protection of the proxy refused the request", text: blockedBy };
}
