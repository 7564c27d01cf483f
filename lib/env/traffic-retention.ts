import { z } from "zod";

export interface TrafficRetention {
  /** How long minute rows are kept, in hours. */
  minuteHours: number;
  /** How long hour rows are kept, in days. */
  hourDays: number;
}

const retentionSchema = z.object({
  TRAFFIC_MINUTE_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(2)
    .max(24 * 31)
    .default(48),
  TRAFFIC_HOUR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3660).default(90),
});

/**
 * Traffic retention from the environment: TRAFFIC_MINUTE_RETENTION_HOURS (default 48) and
 * TRAFFIC_HOUR_RETENTION_DAYS (default 90). A blank value means the default.
 */
export function trafficRetention(env: Record<string, string | undefined> = process.env): TrafficRetention {
  const parsed = retentionSchema.safeParse({
    TRAFFIC_MINUTE_RETENTION_HOURS: env.TRAFFIC_MINUTE_RETENTION_HOURS || undefined,
    TRAFFIC_HOUR_RETENTION_DAYS: env.TRAFFIC_HOUR_RETENTION_DAYS || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid settings in the environment: ${problems.join("; ")}`);
  }
  return {
    minuteHours: parsed.data.TRAFFIC_MINUTE_RETENTION_HOURS,
    hourDays: parsed.data.TRAFFIC_HOUR_RETENTION_DAYS,
  };
}
