import type { Stream } from "@/lib/schemas/stream";
import { DEFAULT_STREAM_IDLE_SECONDS, defaultStreamHealthCheck, type StreamProtocol } from "@/lib/schemas/stream-options";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import { formatUpstreamLines } from "@/app/_lib/upstream-lines";

/**
 * The stream form's values, each named by its path in lib/schemas/stream.ts, which is also its
 * field's name, so an error at a schema path lands on the field of that name. Numbers are kept
 * as typed, so a half-typed value is never lost.
 */
export interface StreamFormValues {
  name: string;
  protocol: StreamProtocol;
  listenPort: string;
  upstreams: string;
  "loadBalancing.policy": LoadBalancingPolicy;
  accessListId: string;
  idleTimeoutSeconds: string;
  proxyProtocol: boolean;
  "healthCheck.enabled": boolean;
  "healthCheck.intervalSeconds": string;
  "healthCheck.timeoutSeconds": string;
  "healthCheck.healthyThreshold": string;
  "healthCheck.unhealthyThreshold": string;
  enabled: boolean;
}

export function formValuesOf(stream: Stream): StreamFormValues {
  return {
    name: stream.name,
    protocol: stream.protocol,
    listenPort: String(stream.listenPort),
    upstreams: formatUpstreamLines(stream.upstreams),
    "loadBalancing.policy": stream.loadBalancing.policy,
    accessListId: stream.accessListId ?? "",
    idleTimeoutSeconds: String(stream.idleTimeoutSeconds),
    proxyProtocol: stream.proxyProtocol,
    "healthCheck.enabled": stream.healthCheck.enabled,
    "healthCheck.intervalSeconds": String(stream.healthCheck.intervalSeconds),
    "healthCheck.timeoutSeconds": String(stream.healthCheck.timeoutSeconds),
    "healthCheck.healthyThreshold": String(stream.healthCheck.healthyThreshold),
    "healthCheck.unhealthyThreshold": String(stream.healthCheck.unhealthyThreshold),
    enabled: stream.enabled,
  };
}

/** The defaults the API gives a new stream. */
export const NEW_STREAM: StreamFormValues = {
  name: "",
  protocol: "tcp",
  listenPort: "",
  upstreams: "",
  "loadBalancing.policy": "round_robin",
  accessListId: "",
  idleTimeoutSeconds: String(DEFAULT_STREAM_IDLE_SECONDS),
  proxyProtocol: false,
  "healthCheck.enabled": defaultStreamHealthCheck.enabled,
  "healthCheck.intervalSeconds": String(defaultStreamHealthCheck.intervalSeconds),
  "healthCheck.timeoutSeconds": String(defaultStreamHealthCheck.timeoutSeconds),
  "healthCheck.healthyThreshold": String(defaultStreamHealthCheck.healthyThreshold),
  "healthCheck.unhealthyThreshold": String(defaultStreamHealthCheck.unhealthyThreshold),
  enabled: true,
};

/** Every field of the stream form, in the form's order: where errors can be shown. */
export const STREAM_FIELDS = Object.keys(NEW_STREAM) as (keyof StreamFormValues)[];

export const PROTOCOL_TEXT: Record<StreamProtocol, { label: string; short: string }> = {
  tcp: { label: "TCP", short: "TCP" },
  udp: { label: "UDP", short: "UDP" },
  both: { label: "TCP and UDP", short: "TCP + UDP" },
};
