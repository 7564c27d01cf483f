import { parseHostHeader } from "./parse-host-header";

export interface Routable {
  readonly hostnames: readonly string[];
}

/**
 * Finds the site for a request's Host header: an exact name first, then the most specific
 * wildcard ("*.b.example.com" before "*.example.com"). Built once per config generation, so a
 * lookup is a few Map probes, never a scan over sites.
 */
export class HostRouter<Site extends Routable> {
  private readonly exact = new Map<string, Site>();
  private readonly wildcard = new Map<string, Site>();

  constructor(sites: Iterable<Site>) {
    for (const site of sites) {
      for (const raw of site.hostnames) {
        const name = raw.toLowerCase().replace(/\.$/, "");
        const table = name.startsWith("*.") ? this.wildcard : this.exact;
        const key = name.startsWith("*.") ? name.slice(2) : name;
        // The dashboard keeps hostnames unique; if two sites still claim one, the first keeps it
        // so that the answer does not depend on Map iteration details.
        if (!table.has(key)) table.set(key, site);
      }
    }
  }

  /** The site for a raw Host header value (may carry a port, an IPv6 literal, upper case). */
  match(hostHeader: string | undefined | null): Site | null {
    const hostname = parseHostHeader(hostHeader);
    return hostname === null ? null : this.matchHostname(hostname);
  }

  /** The site for an already normalised hostname (lower-case, no port, no trailing dot). */
  matchHostname(hostname: string): Site | null {
    const exact = this.exact.get(hostname);
    if (exact !== undefined) return exact;
    if (this.wildcard.size === 0) return null;
    // "a.b.example.com" -> "b.example.com" -> "example.com" -> "com": the first hit is the most specific.
    let dot = hostname.indexOf(".");
    while (dot !== -1) {
      const parent = hostname.slice(dot + 1);
      const site = this.wildcard.get(parent);
      if (site !== undefined) return site;
      dot = hostname.indexOf(".", dot + 1);
    }
    return null;
  }
}
