/** The site editor's tabs, in order: the `?tab=` value, and the words on the tab. */
export const SITE_TABS = [
  { id: "details", label: "Details" },
  { id: "upstreams", label: "Upstreams and health" },
  { id: "routing", label: "Routing" },
  { id: "https", label: "HTTPS" },
  { id: "protection", label: "Protection" },
  { id: "advanced", label: "Advanced" },
] as const;

export type SiteTab = (typeof SITE_TABS)[number]["id"];

export const FIRST_TAB: SiteTab = "details";

/** The tab a `?tab=` value names; anything else (missing, misspelt, repeated) opens the first. */
export function siteTabOf(value: string | string[] | undefined | null): SiteTab {
  const wanted = typeof value === "string" ? value.toLowerCase() : undefined;
  return SITE_TABS.find((tab) => tab.id === wanted)?.id ?? FIRST_TAB;
}

/** The tab `from` an arrow, Home or End key leads to (the arrows wrap round), or null for other keys. */
export function tabAfterKey(from: SiteTab, key: string): SiteTab | null {
  const index = SITE_TABS.findIndex((tab) => tab.id === from);
  const last = SITE_TABS.length - 1;
  const next =
    key === "ArrowRight"
      ? (index + 1) % SITE_TABS.length
      : key === "ArrowLeft"
        ? (index - 1 + SITE_TABS.length) % SITE_TABS.length
        : key === "Home"
          ? 0
          : key === "End"
            ? last
            : null;
  return next === null ? null : (SITE_TABS[next]?.id ?? null);
}
