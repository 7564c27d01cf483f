import { z } from "zod";

export const loadBalancingPolicies = ["round_robin", "weighted", "least_conn", "ip_hash", "failover"] as const;
export type LoadBalancingPolicy = (typeof loadBalancingPolicies)[number];

export const loadBalancingSchema = z.object({
  policy: z.enum(loadBalancingPolicies, {
    error: `Choose one of: ${loadBalancingPolicies.join(", ")}`,
  }),
});

const STATUS_RANGE = /^([1-5]\d\d)(?:-([1-5]\d\d))?$/;

/** "200-399" or "200": the answers that count as healthy. */
export const expectedStatusSchema = z
  .string()
  .trim()
  .regex(STATUS_RANGE, 'Write a status code like "200" or a range like "200-399"')
  .refine((range) => {
    const match = range.match(STATUS_RANGE);
    // zod runs this even after the regex failed; that case is already reported.
    return match === null || match[2] === undefined || Number(match[1]) <= Number(match[2]);
  }, "The range must go from the lower code to the higher one");

export function parseStatusRange(range: string): { from: number; to: number } {
  const [, from, to] = range.match(STATUS_RANGE) ?? [];
  return { from: Number(from ?? 200), to: Number(to ?? from ?? 399) };
}

export const healthCheckFields = z.object({
  enabled: z.boolean(),
  path: z
    .string()
    .trim()
    .regex(/^\/\S*$/, "Start the path with / and leave out spaces, like /health"),
  intervalSeconds: z.number().int().min(1, "Check at most once a second").max(3600, "Check at least once an hour"),
  timeoutSeconds: z.number().int().min(1, "Allow at least 1 second").max(60, "Allow at most 60 seconds"),
  expectedStatus: expectedStatusSchema,
  healthyThreshold: z.number().int().min(1, "Use at least 1 check").max(20, "Use at most 20 checks"),
  unhealthyThreshold: z.number().int().min(1, "Use at least 1 check").max(20, "Use at most 20 checks"),
});

export const healthCheckSchema = healthCheckFields.refine((check) => check.timeoutSeconds <= check.intervalSeconds, {
  path: ["timeoutSeconds"],
  message: "The timeout must not be longer than the interval",
});

export const defaultHealthCheck: z.output<typeof healthCheckSchema> = {
  enabled: true,
  path: "/",
  intervalSeconds: 10,
  timeoutSeconds: 5,
  expectedStatus: "200-399",
  healthyThreshold: 2,
  unhealthyThreshold: 3,
};

export type HealthCheck = z.output<typeof healthCheckSchema>;
export type UpstreamState = "up" | "down" | "unknown";

export interface UpstreamHealth {
  state: UpstreamState;
  checkedAt: string | null;
  latencyMs: number | null;
  message: string | null;
}
