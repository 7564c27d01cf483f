import type { CustomHeaders, SecurityHeaders, TlsPolicy } from "@/lib/schemas/site-security";

/** Plain words for each security choice, shared by the form and the site page's summary. */

export const FRAME_OPTIONS: { value: SecurityHeaders["frameOptions"]; label: string }[] = [
  { value: "SAMEORIGIN", label: "Only this site (SAMEORIGIN)" },
  { value: "DENY", label: "Nobody, not even this site (DENY)" },
  { value: "off", label: "Anyone (header not sent)" },
];

export const REFERRER_OPTIONS: { value: SecurityHeaders["referrerPolicy"]; label: string }[] = [
  { value: "strict-origin-when-cross-origin", label: "Your domain only, to other sites (recommended)" },
  { value: "same-origin", label: "Nothing to other sites (same-origin)" },
  { value: "no-referrer", label: "Nothing to anyone (no-referrer)" },
  { value: "strict-origin", label: "Your domain only, to everyone (strict-origin)" },
  { value: "origin", label: "Your domain only, even over HTTP (origin)" },
  { value: "origin-when-cross-origin", label: "Domain only to other sites, even over HTTP (origin-when-cross-origin)" },
  { value: "no-referrer-when-downgrade", label: "Full address, except to HTTP (no-referrer-when-downgrade)" },
  { value: "unsafe-url", label: "Full address to everyone (unsafe-url)" },
  { value: "off", label: "Browser's choice (header not sent)" },
];

/** HSTS max-age choices: people think in days, browsers in seconds. */
export const HSTS_DURATIONS: { seconds: number; label: string }[] = [
  { seconds: 300, label: "5 minutes (to try it out)" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 604_800, label: "1 week" },
  { seconds: 2_592_000, label: "30 days" },
  { seconds: 15_768_000, label: "6 months" },
  { seconds: 31_536_000, label: "1 year (recommended)" },
  { seconds: 63_072_000, label: "2 years" },
];

export function hstsDurationLabel(seconds: number): string {
  return HSTS_DURATIONS.find((duration) => duration.seconds === seconds)?.label ?? `${seconds.toLocaleString("en")} seconds`;
}

export const TLS_POLICY_TEXT: Record<TlsPolicy, { label: string; short: string; hint: string }> = {
  intermediate: {
    label: "Intermediate (TLS 1.2 and 1.3, works with older clients)",
    short: "Intermediate (TLS 1.2 and 1.3)",
    hint: "The right choice for almost every site: every current browser, and older phones and tools, can connect.",
  },
  modern: {
    label: "Modern (TLS 1.3 only)",
    short: "Modern (TLS 1.3 only)",
    hint: "Only the newest encryption. Browsers from before 2018 and some older tools and devices can no longer connect.",
  },
};

export type HeaderKind = keyof CustomHeaders;

export const HEADER_KINDS: { value: HeaderKind; label: string }[] = [
  { value: "responseSet", label: "Set on response" },
  { value: "responseRemove", label: "Remove from response" },
  { value: "requestSet", label: "Set on request" },
  { value: "requestRemove", label: "Remove from request" },
];

export const isRemoval = (kind: HeaderKind): boolean => kind === "requestRemove" || kind === "responseRemove";

/** The headers the preset actually sends (a preset with every header off sends none). */
export function presetHeaderNames(headers: SecurityHeaders | null): string[] {
  if (headers === null) return [];
  const names: string[] = [];
  if (headers.frameOptions !== "off") names.push("X-Frame-Options");
  if (headers.contentTypeOptions) names.push("X-Content-Type-Options");
  if (headers.referrerPolicy !== "off") names.push("Referrer-Policy");
  if (headers.permissionsPolicy !== "") names.push("Permissions-Policy");
  if (headers.contentSecurityPolicy !== "") names.push("Content-Security-Policy");
  return names;
}
