import type { DnsProviderType } from "../../schemas/dns-provider";
import type { DnsProviderDefinition } from "../dns-provider";
import { acmeDns } from "./acme-dns";
import { cloudflare } from "./cloudflare";
import { desec } from "./desec";
import { digitalocean } from "./digitalocean";
import { duckdns } from "./duckdns";
import { hetzner } from "./hetzner";
import { manual } from "./manual";
import { porkbun } from "./porkbun";
import { rfc2136 } from "./rfc2136";
import { route53 } from "./route53";

/**
 * Every DNS host by its type: the one list the service, the orders and the form read. Widened
 * once here: each `connect` takes its own schemas' output, and the service always parses with
 * those same schemas first.
 */
export const DNS_PROVIDERS: Record<DnsProviderType, DnsProviderDefinition> = {
  rfc2136,
  cloudflare,
  digitalocean,
  hetzner,
  route53,
  porkbun,
  desec,
  duckdns,
  "acme-dns": acmeDns,
  manual,
} as unknown as Record<DnsProviderType, DnsProviderDefinition>;
