import type { DnsProviderType } from "../../schemas/dns-provider";
import type { DnsProviderDefinition } from "../dns-provider";
import { rfc2136 } from "./rfc2136";

/** Every DNS host by its type: the one list the service, the orders and the form read. */
export const DNS_PROVIDERS: Partial<Record<DnsProviderType, DnsProviderDefinition>> = { rfc2136 } as Partial<
  Record<DnsProviderType, DnsProviderDefinition>
>;
