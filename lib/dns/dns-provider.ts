import { z } from "zod";

/** One ACME DNS-01 answer: a TXT value at a name, in the zone that holds that name. */
export interface TxtRecord {
  /** The full name without the trailing dot, e.g. "_acme-challenge.example.com". */
  fqdn: string;
  /** The zone that holds it, as its authoritative servers say (its SOA), e.g. "example.com". */
  zone: string;
  /** The TXT value (ACME: 43 characters of base64url). */
  value: string;
}

/**
 * What an order needs of a DNS host. A name can hold several values at once (a wildcard and its
 * base name share `_acme-challenge.example.com`), so creating adds a value and deleting removes
 * only that value.
 */
export interface DnsProviderClient {
  createTxt(record: TxtRecord): Promise<void>;
  deleteTxt(record: TxtRecord): Promise<void>;
}

/** A DNS host's refusal or failure in plain words, with its own words (if any) as detail. */
export class DnsProviderFailure extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "DnsProviderFailure";
  }
}

export interface DnsConnectOptions {
  /** Tests only: a local server that speaks the provider's API, instead of the provider's own. */
  baseUrl?: string;
}

/** How the dashboard's form shows one setting or credential. */
export interface DnsFieldLabel {
  label: string;
  help?: string;
  placeholder?: string;
}

type Labels<T extends z.ZodObject> = { [K in keyof z.output<T>]-?: DnsFieldLabel };

/** One kind of DNS host: its settings (shown), credentials (write-only, sealed) and client. */
export interface DnsProviderDefinition<S extends z.ZodObject = z.ZodObject, C extends z.ZodObject = z.ZodObject> {
  type: string;
  /** As the dashboard names it, e.g. "Cloudflare". */
  label: string;
  settings: S;
  credentials: C;
  labels: { settings: Labels<S>; credentials: Labels<C> };
  /** True when the host keeps one TXT value per name: the order then validates names one at a time. */
  oneValuePerName?: boolean;
  connect(settings: z.output<S>, credentials: z.output<C>, options?: DnsConnectOptions): DnsProviderClient;
}

/** Keeps each provider file's types exact while the registry holds them side by side. */
export function defineDnsProvider<S extends z.ZodObject, C extends z.ZodObject>(
  definition: DnsProviderDefinition<S, C>,
): DnsProviderDefinition<S, C> {
  return definition;
}

/** Hosts with nothing to set but their credentials. */
export const noSettings = z.object({});

/** The credentials of hosts that take one API token. */
export const apiTokenCredentials = z.object({ apiToken: z.string().trim().min(1, "Paste the API token") });
