import { z } from "zod";
import { hostnameSchema, isWildcard } from "./hostname";
import { emailSchema } from "./auth";
import { optionalNameSchema } from "./text";

const pemText = (what: string) =>
  z
    .string({ error: `Paste the ${what} in PEM format` })
    .trim()
    .min(1, `Paste the ${what} in PEM format`)
    .max(200_000, `The ${what} is too large to be a PEM file`);

export const certificateUploadSchema = z.object({
  type: z.literal("upload"),
  name: optionalNameSchema,
  certificatePem: pemText("certificate"),
  privateKeyPem: pemText("private key"),
  chainPem: z.string().trim().max(200_000, "The chain is too large to be a PEM file").optional(),
});

export const certificateSelfSignedSchema = z.object({
  type: z.literal("self-signed"),
  name: optionalNameSchema,
  domains: z.array(hostnameSchema).min(1, "Add at least one domain").max(100, "At most 100 domains"),
});

export const ACME_CHALLENGES = ["http-01", "dns-01"] as const;
export type AcmeChallenge = (typeof ACME_CHALLENGES)[number];

export const certificateAcmeSchema = z
  .object({
    type: z.literal("acme"),
    name: optionalNameSchema,
    domains: z.array(hostnameSchema).min(1, "Add at least one domain").max(100, "At most 100 domains"),
    /** The ACME account's contact; defaults to the one in settings. */
    email: emailSchema.optional(),
    /** Let's Encrypt's staging CA (untrusted certificates, generous rate limits), for trying things out. */
    staging: z.boolean().optional(),
    /** Switch this site to the certificate once it is issued (and optionally force HTTPS on it). */
    siteId: z.string().min(1).optional(),
    forceHttps: z.boolean().default(false),
    /** HTTP-01: the CA fetches a file from this proxy. DNS-01: a TXT record at the DNS provider (wildcards too). */
    challenge: z.enum(ACME_CHALLENGES, { error: 'Choose "http-01" or "dns-01"' }).default("http-01"),
    dnsProviderId: z.string().min(1, "Choose a DNS provider").optional(),
  })
  .superRefine((order, context) => {
    if (order.challenge === "dns-01" && !order.dnsProviderId) {
      context.addIssue({ code: "custom", path: ["dnsProviderId"], message: "Choose the DNS provider that creates the TXT records" });
    }
    if (order.challenge === "http-01") {
      order.domains.forEach((name, index) => {
        if (isWildcard(name)) {
          context.addIssue({
            code: "custom",
            path: ["domains", index],
            message: `${name} is a wildcard: only a DNS challenge can prove it. Order with a DNS provider, or list the names`,
          });
        }
      });
    }
  });

export const certificateInputSchema = z.discriminatedUnion("type", [certificateUploadSchema, certificateSelfSignedSchema, certificateAcmeSchema], {
  error: 'Choose "upload", "self-signed" or "acme" as the type',
});

export type CertificateUploadInput = z.input<typeof certificateUploadSchema>;
export type CertificateSelfSignedInput = z.input<typeof certificateSelfSignedSchema>;
export type CertificateAcmeInput = z.input<typeof certificateAcmeSchema>;
export type CertificateInput = z.input<typeof certificateInputSchema>;

export const certificateSources = ["upload", "self-signed", "acme"] as const;
export type CertificateSource = (typeof certificateSources)[number];

export type CertificateStatus = "valid" | "expiring" | "expired" | "pending" | "failed";

/** What the API and the dashboard see of a certificate: never the private key. */
export interface Certificate {
  id: string;
  name: string;
  source: CertificateSource;
  domains: string[];
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  status: CertificateStatus;
  lastError: string | null;
  autoRenew: boolean;
  siteIds: string[];
  /** ACME: the steps of the latest order or renewal (empty for other sources). */
  progress: ProgressStep[];
  /** ACME: when the next renewal is due, and whether an order or renewal is queued or running now. */
  renewAt: string | null;
  /** ACME, after a failed order or renewal: when the proxy tries again by itself (backoff). */
  nextAttemptAt: string | null;
  ordering: boolean;
  /** ACME: how the CA checks the names, and for DNS-01 the provider that creates the records. */
  challenge: AcmeChallenge;
  dnsProviderId: string | null;
}

export type ProgressState = "done" | "running" | "failed";

/** One step of an ACME order: plain words in `message`, the CA's own words (if any) in `detail`. */
export interface ProgressStep {
  step: string;
  state: ProgressState;
  at: string;
  message: string;
  detail?: string;
}
