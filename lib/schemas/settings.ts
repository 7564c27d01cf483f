import { z } from "zod";
import { emailSchema } from "./auth";
import { ipRangeListSchema, parseIpRange } from "./ip-range";
import { MAX_PAGE_LENGTH } from "./site-routing";
import { DEFAULT_OIDC, oidcPatchSchema, oidcStoredSchema } from "./oidc";

const MAX_URL_LENGTH = 2048;

const httpUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, "Enter a URL that starts with http:// or https://");

export const UNKNOWN_HOST_ACTIONS = ["not_found", "redirect", "drop"] as const;

/** "" from an empty form field means "none". */
const orNone = <T extends z.ZodType<string>>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/**
 * What the proxy does with a request whose Host no site has: a 404 page (its own, or one given),
 * a redirect to one address (a main website), or no answer at all (nginx's 444), which tells a
 * scanner nothing.
 */
export const unknownHostSchema = z
  .object({
    action: z.enum(UNKNOWN_HOST_ACTIONS, { error: 'Choose "not_found", "redirect" or "drop"' }),
    // Sent as the Location header exactly as given: no spaces or line breaks may get in.
    redirectTo: orNone(
      httpUrlSchema
        .refine((value) => value.length <= MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters for the address`)
        .refine((value) => /^[^\s\p{Cc}]*$/u.test(value), "Remove the spaces or line breaks from the address"),
    ),
    page: orNone(z.string().max(MAX_PAGE_LENGTH, `Keep the page under ${MAX_PAGE_LENGTH / 1024} KB`)),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.action === "redirect" && value.redirectTo === undefined) {
      ctx.addIssue({ code: "custom", path: ["redirectTo"], message: "Enter the address to send visitors to, like https://www.example.com" });
    }
  });

export type UnknownHost = z.output<typeof unknownHostSchema>;

/** Today's behaviour, and what a stored value that no longer parses falls back to. */
export const DEFAULT_UNKNOWN_HOST: UnknownHost = { action: "not_found" };

const fields = {
  acmeEmail: z.union([z.literal(""), emailSchema]),
  acmeStaging: z.boolean(),
  webhookUrl: z.union([z.literal(""), httpUrlSchema]),
  /**
   * Peers (a CDN, a load balancer) whose X-Forwarded-For and X-Forwarded-Proto the proxy believes.
   * Anyone else could forge them, so they are ignored from everyone else. Empty: visitors connect directly.
   */
  trustedProxies: ipRangeListSchema,
  unknownHost: unknownHostSchema,
};

/** The settings people change in the dashboard (the environment holds the rest). */
export const appSettingsSchema = z.object({
  acmeEmail: fields.acmeEmail.default(""),
  acmeStaging: fields.acmeStaging.default(false),
  webhookUrl: fields.webhookUrl.default(""),
  trustedProxies: fields.trustedProxies.default([]),
  unknownHost: fields.unknownHost.default(DEFAULT_UNKNOWN_HOST),
  /** Single sign-on (OIDC): the client secret is write-only, shown only as `hasClientSecret`. */
  oidc: oidcStoredSchema.extend({ hasClientSecret: z.boolean() }).default(DEFAULT_OIDC),
});

/** A change: only the fields sent (no defaults, so nothing unsent is reset). */
export const appSettingsPatchSchema = z
  .object({ ...fields, oidc: oidcPatchSchema })
  .partial()
  .strict();

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
