import { z } from "zod";
import { ipRangeListSchema } from "./ip-range";
import { DEFAULT_UNKNOWN_HOST, unknownHostSchema } from "./settings";
import { siteFields } from "./site";
import { streamFields } from "./stream";
import { snapshotRouteSchema } from "./site-routing";

/**
 * Everything the data plane needs, as one plain serializable value. The proxy primary builds it
 * from the database and hands it to every worker; workers never touch the database.
 */
export const snapshotUpstreamSchema = z.object({
  id: z.string(),
  // tcp:// only for pass-through sites.
  url: z.url({ protocol: /^(https?|tcp)$/ }),
  weight: z.number().int().positive(),
});

/** A site as the proxy serves it: the site's own fields less the dashboard's, with the upstreams' ids. */
export const snapshotSiteSchema = siteFields.omit({ enabled: true, allowLinkLocalUpstreams: true }).extend({
  id: z.string(),
  // Checked when saved; here they need only be well formed.
  name: z.string(),
  hostnames: z.array(z.string().min(1)).min(1),
  upstreams: z.array(snapshotUpstreamSchema),
  routes: z.array(snapshotRouteSchema).default([]),
});

/** A stream as the proxy serves it: enabled (disabled streams are left out), with its upstreams' ids. */
export const snapshotStreamSchema = streamFields.omit({ enabled: true }).extend({
  id: z.string(),
  name: z.string(),
  upstreams: z.array(z.object({ id: z.string(), url: z.url({ protocol: /^(tcp|udp)$/ }), weight: z.number().int().positive() })).min(1),
});

/** An access list as the proxy needs it: password hashes, never passwords. */
export const snapshotAccessListSchema = z.object({
  id: z.string(),
  name: z.string(),
  allow: ipRangeListSchema,
  deny: ipRangeListSchema,
  satisfy: z.enum(["any", "all"]),
  users: z.array(z.object({ username: z.string().min(1), passwordHash: z.string().min(1) })),
});

/**
 * A certificate as the snapshot carries it: what it covers and which content it is, not the
 * content itself. A worker fetches the PEM text and key (CertificateMaterial) when a handshake
 * first needs them, so ten thousand certificates do not sit in every process.
 */
export const snapshotCertificateSchema = z.object({
  id: z.string(),
  domains: z.array(z.string()),
  /** Changes whenever the certificate, its chain or its key does. */
  version: z.string().min(1),
  /** The leaf certificate's SHA-256 fingerprint (as X509Certificate writes it): what handshakes must present. */
  fingerprint256: z.string(),
});

/** The PEM text of one certificate version, with its private key in the clear: sent to one worker, on request. */
export const certificateMaterialSchema = z.object({
  id: z.string(),
  version: z.string(),
  certificatePem: z.string(),
  chainPem: z.string(),
  privateKeyPem: z.string(),
});

export const proxySnapshotSchema = z.object({
  revision: z.number().int().nonnegative(),
  sites: z.array(snapshotSiteSchema),
  certificates: z.array(snapshotCertificateSchema),
  accessLists: z.array(snapshotAccessListSchema).default([]),
  streams: z.array(snapshotStreamSchema).default([]),
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (a CDN, a load balancer). */
  trustedProxies: ipRangeListSchema.default([]),
  /** What to do with a request whose Host no site has (the global setting). */
  unknownHost: unknownHostSchema.default(DEFAULT_UNKNOWN_HOST),
});

/**
 * What changed from one snapshot (`base`) to the next, for workers that serve `base`: sites and
 * certificates new or changed, whole; those gone, by id; access lists and the global settings,
 * whole, and streams whole (they are few). A one-site change with 10,000 sites sends one site.
 */
export const snapshotChangesSchema = z.object({
  base: z.number().int().nonnegative(),
  revision: z.number().int().nonnegative(),
  sites: z.array(snapshotSiteSchema),
  removedSites: z.array(z.string()),
  certificates: z.array(snapshotCertificateSchema),
  removedCertificates: z.array(z.string()),
  accessLists: z.array(snapshotAccessListSchema),
  streams: z.array(snapshotStreamSchema).default([]),
  trustedProxies: ipRangeListSchema,
  unknownHost: unknownHostSchema,
});

export type SnapshotUpstream = z.infer<typeof snapshotUpstreamSchema>;
export type SnapshotSite = z.infer<typeof snapshotSiteSchema>;
export type SnapshotCertificate = z.infer<typeof snapshotCertificateSchema>;
export type CertificateMaterial = z.infer<typeof certificateMaterialSchema>;
export type SnapshotStream = z.infer<typeof snapshotStreamSchema>;
export type SnapshotAccessList = z.infer<typeof snapshotAccessListSchema>;
export type ProxySnapshot = z.infer<typeof proxySnapshotSchema>;
export type SnapshotChanges = z.infer<typeof snapshotChangesSchema>;
