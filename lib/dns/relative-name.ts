import { DnsProviderFailure } from "./dns-provider";

/**
 * The name relative to its zone, as DNS hosts' APIs take it: "_acme-challenge.www" for
 * "_acme-challenge.www.example.com" in "example.com", and "" at the zone's apex. DNS names are
 * case-insensitive, so the comparison is too; a trailing dot on either is ignored.
 */
export function relativeName(fqdn: string, zone: string): string {
  const name = fqdn.replace(/\.$/, "");
  const suffix = zone.replace(/\.$/, "").toLowerCase();
  if (name.toLowerCase() === suffix) return "";
  if (!suffix || !name.toLowerCase().endsWith("." + suffix)) throw new DnsProviderFailure(`${fqdn} is not a name in the zone ${zone}`);
  return name.slice(0, -(suffix.length + 1));
}
