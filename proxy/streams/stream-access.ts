import { IpRanges } from "@/lib/net/ip-ranges";
import type { SnapshotAccessList } from "@/lib/schemas/snapshot";

/**
 * A stream's access list: its address rules only. A stream carries raw TCP or UDP, where there is
 * no place for a username and password, so a client the list would ask to log in is refused (the
 * list fails closed): only addresses that the rules alone let in get through. For a list with
 * users, that means the allowed addresses under "any", and nobody under "all".
 */
export class StreamAccess {
  private readonly allow: IpRanges;
  private readonly deny: IpRanges;
  private readonly needsLogin: boolean;
  private readonly satisfyAny: boolean;

  constructor(list: SnapshotAccessList) {
    this.allow = new IpRanges(list.allow);
    this.deny = new IpRanges(list.deny);
    this.needsLogin = list.users.length > 0;
    this.satisfyAny = list.satisfy === "any";
  }

  /** `clientIp` as clientAddress gives it: IPv4 never in its ::ffff: form. */
  admits(clientIp: string): boolean {
    if (this.deny.has(clientIp)) return false;
    const listed = this.allow.size > 0 && this.allow.has(clientIp);
    if (!this.needsLogin) return this.allow.size === 0 || listed;
    return this.satisfyAny && listed;
  }
}
