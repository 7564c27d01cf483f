export interface TrafficRange {
  key: string;
  label: string;
  durationMs: number;
  stepSeconds: number;
}

export const TRAFFIC_RANGES: readonly TrafficRange[] = [
  { key: "1h", label: "1 h", durationMs: 3_600_000, stepSeconds: 60 },
  { key: "24h", label: "24 h", durationMs: 86_400_000, stepSeconds: 900 },
  { key: "7d", label: "7 d", durationMs: 7 * 86_400_000, stepSeconds: 3600 },
  { key: "30d", label: "30 d", durationMs: 30 * 86_400_000, stepSeconds: 21_600 },
];

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The range named by the `range` search param, 1 h when missing or unknown. */
export function rangeFrom(param: string | string[] | undefined): TrafficRange {
  const key = first(param);
  return TRAFFIC_RANGES.find((range) => range.key === key) ?? TRAFFIC_RANGES[0]!;
}

/** The site id of the `site` search param, undefined for all sites. */
export function siteFrom(param: string | string[] | undefined): string | undefined {
  const id = first(param);
  return id && id !== "all" ? id : undefined;
}

/** The /traffic URL for a site and range. */
export function trafficHref(siteId: string | undefined, range: string): string {
  const params = new URLSearchParams();
  if (siteId) params.set("site", siteId);
  params.set("range", range);
  return `/traffic?${params.toString()}`;
}
