import type { CustomHeaders, SecurityHeaders } from "@/lib/schemas/site-security";

type HeaderPair = readonly [name: string, value: string];

/** What to do to one direction's headers, worked out once per site when a snapshot compiles. */
export interface HeaderEdits {
  /** Added only when absent: the upstream's own policy wins. */
  readonly defaults: readonly HeaderPair[];
  /** Always set, replacing what was there. */
  readonly set: readonly HeaderPair[];
  readonly remove: readonly string[];
}

export interface SiteHeaderPlan {
  readonly request: HeaderEdits;
  readonly responseHttp: HeaderEdits;
  /** The same plus HSTS, which browsers only honour over HTTPS. */
  readonly responseHttps: HeaderEdits;
}

export interface HeaderSettings {
  hsts: boolean;
  securityHeaders: SecurityHeaders | null;
  customHeaders: CustomHeaders;
}

export const NO_EDITS: HeaderEdits = { defaults: [], set: [], remove: [] };

export function hstsValue(options: SecurityHeaders["hsts"] | undefined): string {
  const maxAge = options?.maxAge ?? 31_536_000;
  return options?.includeSubDomains ? `max-age=${maxAge}; includeSubDomains` : `max-age=${maxAge}`;
}

function presetHeaders(preset: SecurityHeaders | null): HeaderPair[] {
  if (preset === null) return [];
  const pairs: HeaderPair[] = [];
  if (preset.contentTypeOptions) pairs.push(["x-content-type-options", "nosniff"]);
  if (preset.frameOptions !== "off") pairs.push(["x-frame-options", preset.frameOptions]);
  if (preset.referrerPolicy !== "off") pairs.push(["referrer-policy", preset.referrerPolicy]);
  if (preset.permissionsPolicy !== "") pairs.push(["permissions-policy", preset.permissionsPolicy]);
  if (preset.contentSecurityPolicy !== "") pairs.push(["content-security-policy", preset.contentSecurityPolicy]);
  return pairs;
}

export function compileHeaderPlan(settings: HeaderSettings): SiteHeaderPlan {
  const custom = settings.customHeaders;
  const request: HeaderEdits = {
    defaults: [],
    set: custom.requestSet.map(({ name, value }) => [name, value] as const),
    remove: custom.requestRemove,
  };
  const responseHttp: HeaderEdits = {
    defaults: presetHeaders(settings.securityHeaders),
    set: custom.responseSet.map(({ name, value }) => [name, value] as const),
    remove: custom.responseRemove,
  };
  // HSTS is set, not defaulted: the switch in the dashboard is the site owner's decision.
  const responseHttps: HeaderEdits = settings.hsts
    ? { ...responseHttp, set: [["strict-transport-security", hstsValue(settings.securityHeaders?.hsts)], ...responseHttp.set] }
    : responseHttp;
  return { request, responseHttp, responseHttps };
}
