import { z } from "zod";
import { ipRangeListSchema } from "@/lib/schemas/ip-range";
import { DEFAULT_UNKNOWN_HOST, unknownHostSchema, type UnknownHost } from "@/lib/schemas/settings";
import {
  proxySnapshotSchema,
  snapshotAccessListSchema,
  snapshotChangesSchema,
  snapshotCertificateSchema,
  snapshotSiteSchema,
  snapshotStreamSchema,
  type SnapshotAccessList,
  type SnapshotCertificate,
  type SnapshotSite,
  type SnapshotStream,
} from "@/lib/schemas/snapshot";

export type SiteEntry = { id: string; site: SnapshotSite } | { id: string; error: string };
export type StreamEntry = { id: string; stream: SnapshotStream } | { id: string; error: string };
export type CertificateEntry = SnapshotCertificate | { id: string; error: string };

/**
 * A snapshot checked entry by entry. An entry that did not change between two snapshots is the
 * same object in both (see validateChanges), which tells the compiler what it may reuse.
 */
export interface ValidatedSnapshot {
  revision: number;
  /** By id (the first entry of a duplicated id wins); a site whose own data is invalid is kept as an error, not dropped. */
  sites: Map<string, SiteEntry>;
  /** By id; a certificate whose own data is invalid is kept with the reason. */
  certificates: Map<string, CertificateEntry>;
  /** By id, as sites: a stream whose own data is invalid is kept as an error, never failing the snapshot. */
  streams: Map<string, StreamEntry>;
  /** Valid lists only: a site whose list is left out fails on its own (closed, never open). */
  accessLists: Map<string, SnapshotAccessList>;
  /** Empty when the list is invalid: then no peer's forwarded headers are believed. */
  trustedProxies: string[];
  /** 404 when the setting is invalid, as before it existed. */
  unknownHost: UnknownHost;
}

// The shared schemas, each entry left to be checked on its own.
const entries = {
  sites: z.array(z.unknown()),
  certificates: z.array(z.unknown()),
  accessLists: z.array(z.unknown()),
  streams: z.array(z.unknown()).default([]),
  trustedProxies: z.unknown().optional(),
  unknownHost: z.unknown().optional(),
};
const envelopeSchema = proxySnapshotSchema.extend({ ...entries, accessLists: entries.accessLists.default([]) });
const changesEnvelopeSchema = snapshotChangesSchema.extend(entries);

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
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    return { error: `The configuration snapshot is invalid: ${describeIssues(envelope.error)}` };
  }
  const sites = new Map<string, SiteEntry>();
  for (const raw of envelope.data.sites) {
    const entry = siteEntry(raw);
    if ("invalid" in entry) return { error: entry.invalid };
    if (!sites.has(entry.id)) sites.set(entry.id, entry);
  }
  const certificates = new Map<string, CertificateEntry>();
  for (const raw of envelope.data.certificates) {
    const entry = certificateEntry(raw);
    if (entry !== null && !certificates.has(entry.id)) certificates.set(entry.id, entry);
  }
  return {
    revision: envelope.data.revision,
    sites,
    certificates,
    streams: streamsOf(envelope.data.streams, new Map()),
    accessLists: accessListsOf(envelope.data.accessLists, new Map()),
    trustedProxies: trustedProxiesOf(envelope.data.trustedProxies),
    unknownHost: unknownHostOf(envelope.data.unknownHost),
  };
}

/**
 * Applies the changes between two snapshots (SnapshotChanges) to the one this worker serves,
 * checking only what changed; every entry that did not change stays the same object. "stale" when
 * the changes are not against the snapshot served: then the whole snapshot is needed.
 */
export function validateChanges(input: unknown, served: ValidatedSnapshot): ValidatedSnapshot | { error: string } | "stale" {
  const envelope = changesEnvelopeSchema.safeParse(input);
  if (!envelope.success) return { error: `The configuration changes are invalid: ${describeIssues(envelope.error)}` };
  const changes = envelope.data;
  if (changes.base !== served.revision) return "stale";

  const sites = new Map(served.sites);
  for (const id of changes.removedSites) sites.delete(id);
  for (const raw of changes.sites) {
    const entry = siteEntry(raw);
    if ("invalid" in entry) return { error: entry.invalid };
    sites.set(entry.id, entry);
  }
  const certificates = new Map(served.certificates);
  for (const id of changes.removedCertificates) certificates.delete(id);
  for (const raw of changes.certificates) {
    const entry = certificateEntry(raw);
    if (entry !== null) certificates.set(entry.id, entry);
  }
  return {
    revision: changes.revision,
    sites,
    certificates,
    streams: streamsOf(changes.streams, served.streams),
    accessLists: accessListsOf(changes.accessLists, served.accessLists),
    trustedProxies: trustedProxiesOf(changes.trustedProxies),
    unknownHost: unknownHostOf(changes.unknownHost),
  };
}

function siteEntry(raw: unknown): SiteEntry | { invalid: string } {
  const parsed = snapshotSiteSchema.safeParse(raw);
  if (parsed.success) return { id: parsed.data.id, site: parsed.data };
  const id = idOf(raw);
  if (id === null) return { invalid: `The configuration snapshot contains a site without an id: ${describeIssues(parsed.error)}` };
  return { id, error: `The site's configuration is invalid: ${describeIssues(parsed.error)}` };
}

/**
 * Streams come whole every time (they are few). An entry equal to one served stays that object; an
 * entry without an id is left out (nothing can report against it); the first of a duplicated id wins.
 */
function streamsOf(raws: unknown[], served: ReadonlyMap<string, StreamEntry>): Map<string, StreamEntry> {
  const streams = new Map<string, StreamEntry>();
  for (const raw of raws) {
    const parsed = snapshotStreamSchema.safeParse(raw);
    const id = parsed.success ? parsed.data.id : idOf(raw);
    if (id === null || streams.has(id)) continue;
    const entry: StreamEntry = parsed.success
      ? { id, stream: parsed.data }
      : { id, error: `The stream's configuration is invalid: ${describeIssues(parsed.error)}` };
    const earlier = served.get(id);
    streams.set(id, earlier !== undefined && JSON.stringify(earlier) === JSON.stringify(entry) ? earlier : entry);
  }
  return streams;
}

/** null for an entry without even an id: no site can refer to it. */
function certificateEntry(raw: unknown): CertificateEntry | null {
  const parsed = snapshotCertificateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const id = idOf(raw);
  return id === null ? null : { id, error: `its stored data is invalid (${describeIssues(parsed.error)}).` };
}

/** The valid lists; a list equal to one served stays that object, so its sites need no compiling. */
function accessListsOf(raws: unknown[], served: ReadonlyMap<string, SnapshotAccessList>): Map<string, SnapshotAccessList> {
  const lists = new Map<string, SnapshotAccessList>();
  for (const raw of raws) {
    const parsed = snapshotAccessListSchema.safeParse(raw);
    if (!parsed.success) continue;
    const earlier = served.get(parsed.data.id);
    lists.set(parsed.data.id, earlier !== undefined && JSON.stringify(earlier) === JSON.stringify(parsed.data) ? earlier : parsed.data);
  }
  return lists;
}

function trustedProxiesOf(raw: unknown): string[] {
  const parsed = ipRangeListSchema.default([]).safeParse(raw);
  return parsed.success ? parsed.data : [];
}

function unknownHostOf(raw: unknown): UnknownHost {
  const parsed = unknownHostSchema.default(DEFAULT_UNKNOWN_HOST).safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_UNKNOWN_HOST;
}
