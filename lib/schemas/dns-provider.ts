import { z } from "zod";
import { hostnameSchema, isWildcard } from "./hostname";
import { nameSchema } from "./text";

/** The DNS hosts an ACME DNS-01 order can create records at; each is one file in lib/dns/providers. */
export const DNS_PROVIDER_TYPES = [
  "rfc2136",
  "cloudflare",
  "digitalocean",
  "hetzner",
  "route53",
  "porkbun",
  "desec",
  "duckdns",
  "acme-dns",
  "manual",
] as const;
export type DnsProviderType = (typeof DNS_PROVIDER_TYPES)[number];

/** A type's own settings and credentials are checked against that type's schemas by the service. */
const fields = z.record(z.string(), z.unknown(), { error: "Send an object of the provider's fields" });

// Without defaults, so that a PATCH that leaves a field out leaves it alone.
const shape = {
  name: nameSchema("Give the DNS provider a name"),
  type: z.enum(DNS_PROVIDER_TYPES, { error: `Choose one of: ${DNS_PROVIDER_TYPES.join(", ")}` }),
  /** Shown and returned. */
  settings: fields,
  /** Write-only: sealed at rest, never returned. */
  credentials: fields,
};

export const dnsProviderInputSchema = z
  .object({ ...shape, settings: shape.settings.default({}), credentials: shape.credentials.default({}) })
  .strict();
export const dnsProviderPatchSchema = z.object(shape).partial().strict();

export type DnsProviderInput = z.input<typeof dnsProviderInputSchema>;

/** What the API and the dashboard see of a provider: never its credentials. */
export interface DnsProvider {
  id: string;
  name: string;
  type: DnsProviderType;
  settings: Record<string, unknown>;
  hasCredentials: boolean;
  certificateIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** "Test": create a TXT record under this domain, see it served, delete it. */
export const dnsProviderTestSchema = z
  .object({
    domain: hostnameSchema.refine((name) => !isWildcard(name), { message: "Enter a domain without *., e.g. example.com" }),
  })
  .strict();

export interface DnsProviderTestStep {
  step: "zone" | "create" | "served" | "delete";
  ok: boolean;
  message: string;
  detail?: string;
}

export interface DnsProviderTestResult {
  ok: boolean;
  steps: DnsProviderTestStep[];
}
