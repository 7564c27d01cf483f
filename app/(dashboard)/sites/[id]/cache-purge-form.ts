/** What the purge form can remove: its radio values, each with its words. */
export const PURGE_SCOPES = [
  { value: "all", label: "Everything", hint: "Every stored answer of this site." },
  { value: "prefix", label: "Paths starting with", hint: "Like /static/ or /blog/." },
  { value: "url", label: "One address", hint: "Like https://example.com/style.css, or /style.css for every hostname of the site." },
] as const;
export type PurgeScope = (typeof PURGE_SCOPES)[number]["value"];

/** The form's fields errors can be shown at: the purge schema names its fields `prefix` and `url`. */
export const PURGE_FIELDS = ["prefix", "url"] as const;

/** The purge request the form asks for: only the chosen field is sent, as typed (the schema names what is wrong). */
export function purgeInputOf(scope: string, prefix: string, url: string): Record<string, string> {
  if (scope === "prefix") return { prefix: prefix.trim() };
  if (scope === "url") return { url: url.trim() };
  return {};
}

export const removedText = (purged: number): string => `Removed ${purged} stored ${purged === 1 ? "answer" : "answers"}.`;
