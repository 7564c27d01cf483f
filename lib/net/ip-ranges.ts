import { BlockList, isIPv4 } from "node:net";
import { parseIpRange } from "../schemas/ip-range";

/**
 * A set of IPv4 and IPv6 addresses and CIDR ranges, matched by node's BlockList (native code,
 * about a microsecond per lookup whatever the number of ranges). Entries that do not parse are
 * left out: the schemas reject them long before they reach the proxy.
 */
export class IpRanges {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    let size = 0;
    for (const entry of entries) {
      const range = parseIpRange(entry);
      if (range === null) continue;
      this.list.addSubnet(range.address, range.prefix, range.family);
      size += 1;
    }
    this.size = size;
  }

  /** Whether an address (as clientAddress gives it: IPv4 never in its ::ffff: form) is in the set. */
  has(address: string): boolean {
    if (this.size === 0 || address === "") return false;
    try {
      return this.list.check(address, isIPv4(address) ? "ipv4" : "ipv6");
    } catch {
      return false; // not an address at all
    }
  }
}
