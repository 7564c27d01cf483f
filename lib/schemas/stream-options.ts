import type { z } from "zod";
import { healthCheckFields } from "./upstream-health";

/*
 * A stream's choices and defaults, apart from its schema (lib/schemas/stream.ts): the dashboard's
 * form takes them in the browser, where the schema's address checks (node:net) cannot go.
 */

export const STREAM_PROTOCOLS = ["tcp", "udp", "both"] as const;
export type StreamProtocol = (typeof STREAM_PROTOCOLS)[number];

/** nginx's proxy_timeout: ten minutes of silence both ways ends a connection, or a UDP client's session. */
export const DEFAULT_STREAM_IDLE_SECONDS = 600;
export const MAX_STREAM_IDLE_SECONDS = 7 * 24 * 60 * 60;

/**
 * A TCP connect check of each upstream: the upstream is up once it accepts `healthyThreshold`
 * connections in a row. UDP has no handshake to check, so a UDP-only stream relies on its
 * upstreams' answers (passive checks).
 */
export const streamHealthCheckFields = healthCheckFields.pick({
  enabled: true,
  intervalSeconds: true,
  timeoutSeconds: true,
  healthyThreshold: true,
  unhealthyThreshold: true,
});
export const streamHealthCheckSchema = streamHealthCheckFields.refine((check) => check.timeoutSeconds <= check.intervalSeconds, {
  path: ["timeoutSeconds"],
  message: "The timeout must not be longer than the interval",
});
export type StreamHealthCheck = z.output<typeof streamHealthCheckSchema>;
export const defaultStreamHealthCheck: StreamHealthCheck = {
  enabled: true,
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
};
