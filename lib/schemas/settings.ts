import { z } from "zod";
import { emailSchema } from "./auth";
import { ipRangeListSchema, parseIpRange } from "./ip-range";

const webhookUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, "Enter a URL that starts with http:// or https://");

const fields = {
  acmeEmail: z.union([z.literal(""), emailSchema]),
  acmeStaging: z.boolean(),
  webhookUrl: z.union([z.literal(""), webhookUrlSchema]),
  /**
   * Peers (a CDN, a load balancer) whose X-Forwarded-For and X-Forwarded-Proto the proxy believes.
   * Anyone else could forge them, so they are ignored from everyone else. Empty: visitors connect directly.
   */
  trustedProxies: ipRangeListSchema,
};

/** The settings people change in the dashboard (the environment holds the rest). */
export const appSettingsSchema = z.object({
  acmeEmail: fields.acmeEmail.default(""),
  acmeStaging: fields.acmeStaging.default(false),
  webhookUrl: fields.webhookUrl.default(""),
  trustedProxies: fields.trustedProxies.default([]),
});

/** A change: only the fields sent (no defaults, so nothing unsent is reset). */
export const appSettingsPatchSchema = z.object(fields).partial().strict();

export type AppSettings = z.output<typeof appSettingsSchema>;

/**
 * Settings that are allowed but probably not meant, by field path, in words for the person who
 * saved them. Trusting 0.0.0.0/0 or ::/0 believes X-Forwarded-For from everyone: any visitor can
 * then pick the address that rate limits, access lists and the logs see.
 */
export function settingsWarnings(settings: Pick<AppSettings, "trustedProxies">): Record<string, string> {
  const warnings: Record<string, string> = {};
  settings.trustedProxies.forEach((entry, index) => {
    if (parseIpRange(entry)?.prefix === 0) {
      warnings[`trustedProxies.${index}`] =
        `${entry} trusts every address: any visitor can claim to be anyone (X-Forwarded-For), past rate limits and access lists. List only your CDN's or load balancer's ranges.`;
    }
  });
  return warnings;
}
export type AppSettingsPatch = z.input<typeof appSettingsPatchSchema>;

/**
 * The Prometheus /metrics endpoint: off until a token is made. Only the token's SHA-256 is
 * stored, so the token itself is shown once, when it is created.
 */
export interface MetricsSettings {
  enabled: boolean;
  /** When the current token was created (ISO 8601), or null while /metrics is off. */
  tokenCreatedAt: string | null;
}
