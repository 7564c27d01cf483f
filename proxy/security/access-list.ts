import type { BasicAuthUser, BasicAuthVerifier } from "./basic-auth";
import { IpRanges } from "@/lib/net/ip-ranges";

export interface AccessListRules {
  id: string;
  name: string;
  allow: readonly string[];
  deny: readonly string[];
  users: readonly BasicAuthUser[];
  satisfy: "any" | "all";
}

export type AccessVerdict =
  | { outcome: "pass" }
  /** 403: this address may not come in, whatever it sends. */
  | { outcome: "forbidden" }
  /** 401: a username and password would let it in. */
  | { outcome: "login"; realm: string }
  /** 429: too many password checks at once in this worker. */
  | { outcome: "busy" };

const PASS: AccessVerdict = { outcome: "pass" };
const FORBIDDEN: AccessVerdict = { outcome: "forbidden" };
const BUSY: AccessVerdict = { outcome: "busy" };

/**
 * An access list ready to judge requests. The rules, in the words the dashboard uses:
 *  - a denied address is always refused (403);
 *  - with allowed addresses listed, other addresses are refused, unless...
 *  - ...with users and "any": allowed addresses get in without a password, everyone else must
 *    log in; with users and "all": only allowed addresses may log in (and must).
 */
export class CompiledAccessList {
  private readonly allow: IpRanges;
  private readonly deny: IpRanges;
  private readonly realm: string;

  constructor(
    readonly rules: AccessListRules,
    private readonly verifier: BasicAuthVerifier,
  ) {
    this.allow = new IpRanges(rules.allow);
    this.deny = new IpRanges(rules.deny);
    this.realm = rules.name.replace(/["\\\r\n]/g, "").slice(0, 100) || "Restricted";
  }

  /** Whether the address is one the list names as allowed (an empty allow list names none). */
  allowListed(clientIp: string): boolean {
    return this.allow.has(clientIp);
  }

  /**
   * Whether the address gets in without a password: all a connection that is never decrypted (a
   * pass-through site's) can be judged by, as there is no HTTP to ask for a login with.
   */
  admitsWithoutLogin(clientIp: string): boolean {
    if (this.deny.has(clientIp)) return false;
    const listed = this.allow.size > 0 && this.allow.has(clientIp);
    if (this.rules.users.length > 0) return this.rules.satisfy === "any" && listed;
    return this.allow.size === 0 || listed;
  }

  /** Synchronous when no password is involved, which is the common case. */
  judge(clientIp: string, authorization: string | undefined): AccessVerdict | Promise<AccessVerdict> {
    if (this.deny.has(clientIp)) return FORBIDDEN;
    const listed = this.allow.size > 0 && this.allow.has(clientIp);
    const ipAllowed = this.allow.size === 0 || listed;
    if (this.rules.users.length === 0) return ipAllowed ? PASS : FORBIDDEN;
    if (this.rules.satisfy === "any" && listed) return PASS;
    if (this.rules.satisfy === "all" && !ipAllowed) return FORBIDDEN;
    return this.verifier.verify(this.rules.id, this.rules.users, authorization).then((result) => {
      if (result === "ok") return PASS;
      return result === "busy" ? BUSY : { outcome: "login", realm: this.realm };
    });
  }
}
