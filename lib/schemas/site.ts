import { z } from "zod";
import { hostnameSchema } from "./hostname";
import { upstreamInputSchema, type Upstream } from "./upstream";
import {
  defaultHealthCheck,
  healthCheckFields,
  healthCheckSchema,
  loadBalancingSchema,
  type HealthCheck,
  type LoadBalancingPolicy,
  type UpstreamHealth,
} from "./upstream-health";

const siteFields = z.object({
  name: z.string().trim().min(1, "Give the site a name").max(100, "Keep the name under 100 characters"),
  hostnames: z
    .array(hostnameSchema)
    .min(1, "Add at least one hostname")
    .max(100, "A site can have at most 100 hostnames"),
  upstreams: z
    .array(upstreamInputSchema)
    .min(1, "Add at least one upstream server")
    .max(50, "A site can have at most 50 upstream servers"),
  enabled: z.boolean().default(true),
  certificateId: z.string().min(1).nullable().default(null),
  forceHttps: z.boolean().default(false),
  hsts: z.boolean().default(false),
  websockets: z.boolean().default(true),
  preserveHost: z.boolean().default(true),
  verifyUpstreamTls: z.boolean().default(true),
  loadBalancing: loadBalancingSchema.default({ policy: "round_robin" }),
  // Any subset of the health-check settings; the rest take the defaults that just work.
  healthCheck: healthCheckFields
    .partial()
    .strict()
    .transform((sent) => ({ ...defaultHealthCheck, ...sent }))
    .pipe(healthCheckSchema)
    .default(defaultHealthCheck),
});

/** Fields holding an object: a patch changes the keys it sends inside them, not the whole object. */
const NESTED = ["loadBalancing", "healthCheck"] as const;

function checkSite(site: z.output<typeof siteFields>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  site.hostnames.forEach((hostname, index) => {
    if (seen.has(hostname)) {
      ctx.addIssue({ code: "custom", path: ["hostnames", index], message: `"${hostname}" is listed twice` });
    }
    seen.add(hostname);
  });
  if (site.forceHttps && site.certificateId === null) {
    ctx.addIssue({ code: "custom", path: ["forceHttps"], message: "Force HTTPS needs a certificate: choose one first" });
  }
  if (site.hsts && site.certificateId === null) {
    ctx.addIssue({ code: "custom", path: ["hsts"], message: "HSTS needs a certificate: choose one first" });
  }
}

/** A whole site, as created. Updates are merged onto the stored site and checked with this same schema. */
export const siteInputSchema = siteFields.superRefine(checkSite);
export type SiteInput = z.input<typeof siteInputSchema>;
export type SiteData = z.output<typeof siteInputSchema>;

/** A PATCH body: any subset of the fields, nothing else. */
export const sitePatchSchema = siteFields
  .extend({ loadBalancing: loadBalancingSchema.partial(), healthCheck: healthCheckFields.partial().strict() })
  .partial()
  .strict();
export type SitePatch = z.input<typeof sitePatchSchema>;

/** Merges a patch onto stored data and validates the result as a whole site. */
export function mergeSitePatch(current: SiteData, patch: unknown) {
  const parsedPatch = sitePatchSchema.safeParse(patch);
  if (!parsedPatch.success) return parsedPatch;
  // Only keys the caller sent override; zod's defaults must not reset stored values.
  const sent: Record<string, unknown> = { ...(patch as Record<string, unknown>) };
  for (const key of NESTED) {
    const value = sent[key];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) sent[key] = { ...current[key], ...value };
  }
  return siteInputSchema.safeParse({ ...current, ...sent });
}

export interface SiteStatus {
  applied: boolean;
  appliedRevision: number | null;
  error: string | null;
}

export interface Site {
  id: string;
  name: string;
  hostnames: string[];
  upstreams: (Upstream & { health: UpstreamHealth })[];
  loadBalancing: { policy: LoadBalancingPolicy };
  healthCheck: HealthCheck;
  enabled: boolean;
  certificateId: string | null;
  forceHttps: boolean;
  hsts: boolean;
  websockets: boolean;
  preserveHost: boolean;
  verifyUpstreamTls: boolean;
  status: SiteStatus;
  createdAt: string;
  updatedAt: string;
}
