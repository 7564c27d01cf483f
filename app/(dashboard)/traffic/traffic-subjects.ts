import type { TrafficPoint } from "@/lib/traffic/traffic-delta";

/**
 * What the traffic page can show: a site or a stream (their traffic rows share one id space).
 * `connections`: the proxy sees connections, not requests (a pass-through site, a stream), so
 * requests, status classes and latency stay 0 and connections are shown instead.
 */
export interface TrafficSubject {
  id: string;
  name: string;
  kind: "site" | "stream";
  connections: boolean;
}

export function trafficSubjects(
  sites: readonly { id: string; name: string; tlsMode: string }[],
  streams: readonly { id: string; name: string }[],
): TrafficSubject[] {
  return [
    ...sites.map(({ id, name, tlsMode }) => ({ id, name, kind: "site" as const, connections: tlsMode === "passthrough" })),
    ...streams.map(({ id, name }) => ({ id, name, kind: "stream" as const, connections: true })),
  ];
}

/** Which charts: request charts for a site that is decrypted here, connection charts for the rest; all of them together for everything. */
export function chartsFor(subject: TrafficSubject | undefined, points: readonly TrafficPoint[]): { requests: boolean; connections: boolean } {
  if (subject) return { requests: !subject.connections, connections: subject.connections };
  return { requests: true, connections: points.some((point) => point.connections > 0) };
}

/** Each point's average connection duration in ms, null where no connection ended. */
export const averageConnectionMs = (points: readonly TrafficPoint[]): (number | null)[] =>
  points.map((point) => (point.connections > 0 ? point.connectionMs / point.connections : null));
