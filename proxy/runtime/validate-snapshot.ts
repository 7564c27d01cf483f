import { z } from "zod";
import { ipRangeListSchema } from "../../lib/schemas/ip-range";
import {
  proxySnapshotSchema,
  snapshotAccessListSchema,
  snapshotCertificateSchema,
  snapshotSiteSchema,
  type SnapshotAccessList,
  type SnapshotCertificate,
  type SnapshotSite,
} from "../../lib/schemas/snapshot";

export type SiteEntry = { id: string; site: SnapshotSite } | { id: string; error: string };

export interface ValidatedSnapshot {
  revision: number;
  /** In snapshot order; a site whose own data is invalid is kept as an error, not dropped. */
  sites: SiteEntry[];
  certificates: SnapshotCertificate[];
  /** Certificates whose own data is invalid, by id, with the reason. */
  invalidCertificates: Map<string, string>;
  /** Valid lists only: a site whose list is left out fails on its own (closed, never open). */
  accessLists: SnapshotAccessList[];
  /** Empty when the list is invalid: then no peer's forwarded headers are believed. */
  trustedProxies: string[];
}

const envelopeSchema = z.object({
  revision: z.number().int().nonnegative(),
  sites: z.array(z.unknown()),
  certificates: z.array(z.unknown()),
  accessLists: z.array(z.unknown()).default([]),
  trustedProxies: z.unknown().optional(),
});

const idOf = (value: unknown): string | null => {
  if (typeof value !== "object" || value === null || !("id" in value)) return null;
  return typeof value.id === "string" && value.id.length > 0 ? value.id : null;
};

function describeIssues(error: z.ZodError, limit = 3): string {
  const parts = error.issues.slice(0, limit).map((issue) => {
    const where = issue.path.map(String).join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length > limit ? ` (and ${error.issues.length - limit} more)` : "";
  return parts.join("; ") + more;
}

/**
 * Checks a snapshot with the shared schema. The snapshot as a whole (revision, lists) must be
 * valid, or it is rejected; but one malformed site or certificate is reported against that entry
 * only, so that it cannot take the other sites down with it.
 */
export function validateSnapshot(input: unknown): ValidatedSnapshot | { error: string } {
  const full = proxySnapshotSchema.safeParse(input);
  if (full.success) {
    return {
      revision: full.data.revision,
      sites: full.data.sites.map((site) => ({ id: site.id, site })),
      certificates: full.data.certificates,
      invalidCertificates: new Map(),
      accessLists: full.data.accessLists,
      trustedProxies: full.data.trustedProxies,
    };
  }

  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    return { error: `The configuration snapshot is invalid: ${describeIssues(full.error)}` };
  }

  const sites: SiteEntry[] = [];
  for (const raw of envelope.data.sites) {
    const parsed = snapshotSiteSchema.safeParse(raw);
    if (parsed.success) {
      sites.push({ id: parsed.data.id, site: parsed.data });
      continue;
    }
    const id = idOf(raw);
    if (id === null) {
      return { error: `The configuration snapshot contains a site without an id: ${describeIssues(parsed.error)}` };
    }
    sites.push({ id, error: `The site's configuration is invalid: ${describeIssues(parsed.error)}` });
  }

  const certificates: SnapshotCertificate[] = [];
  const invalidCertificates = new Map<string, string>();
  for (const raw of envelope.data.certificates) {
    const parsed = snapshotCertificateSchema.safeParse(raw);
    if (parsed.success) {
      certificates.push(parsed.data);
      continue;
    }
    const id = idOf(raw);
    if (id !== null) invalidCertificates.set(id, `its stored data is invalid (${describeIssues(parsed.error)}).`);
  }

  const accessLists = envelope.data.accessLists.flatMap((raw) => {
    const parsed = snapshotAccessListSchema.safeParse(raw);
    return parsed.success ? [parsed.data] : [];
  });
  const trustedProxies = ipRangeListSchema.default([]).safeParse(envelope.data.trustedProxies);

  return {
    revision: envelope.data.revision,
    sites,
    certificates,
    invalidCertificates,
    accessLists,
    trustedProxies: trustedProxies.success ? trustedProxies.data : [],
  };
}
