import { z } from "zod";
import { hostnameSchema } from "./hostname";

const pemText = (what: string) =>
  z
    .string({ error: `Paste the ${what} in PEM format` })
    .trim()
    .min(1, `Paste the ${what} in PEM format`)
    .max(200_000, `The ${what} is too large to be a PEM file`);

export const certificateUploadSchema = z.object({
  type: z.literal("upload"),
  name: z.string().trim().max(100, "Keep the name under 100 characters").optional(),
  certificatePem: pemText("certificate"),
  privateKeyPem: pemText("private key"),
  chainPem: z.string().trim().max(200_000, "The chain is too large to be a PEM file").optional(),
});

export const certificateSelfSignedSchema = z.object({
  type: z.literal("self-signed"),
  name: z.string().trim().max(100, "Keep the name under 100 characters").optional(),
  domains: z.array(hostnameSchema).min(1, "Add at least one domain").max(100, "At most 100 domains"),
});

export const certificateInputSchema = z.discriminatedUnion(
  "type",
  [certificateUploadSchema, certificateSelfSignedSchema],
  { error: 'Choose "upload" or "self-signed" as the type' },
);

export type CertificateUploadInput = z.input<typeof certificateUploadSchema>;
export type CertificateSelfSignedInput = z.input<typeof certificateSelfSignedSchema>;
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
}
