import type { IncomingMessage } from "node:http";
import type { AccessVerdict } from "./access-list";
import type { ExploitDetector } from "./exploit-detector";
import type { SiteProtection } from "./site-protection";

/** What stopped a request, for the blocked-requests log: "rate-limit", "access-list", "exploit:<rule id>". */
export type GuardVerdict =
  | { allowed: true }
  | { allowed: false; status: 401 | 403 | 429; headers: Record<string, string>; blockedBy: string };

const ALLOWED: GuardVerdict = { allowed: true };

function fromAccess(verdict: AccessVerdict): GuardVerdict {
  switch (verdict.outcome) {
    case "pass":
      return ALLOWED;
    case "forbidden":
      return { allowed: false, status: 403, headers: {}, blockedBy: "access-list" };
    case "busy":
      return { allowed: false, status: 429, headers: { "retry-after": "1" }, blockedBy: "access-list" };
    case "login":
      return {
        allowed: false,
        status: 401,
        headers: { "www-authenticate": `Basic realm="${verdict.realm}", charset="UTF-8"` },
        blockedBy: "access-list",
      };
  }
}

/**
 * A site's protections, cheapest and most protective first: the rate limit (so that floods never
 * reach the password check), then exploit patterns, then the access list. Synchronous unless a
 * password has to be checked.
 */
export function judgeRequest(
  protection: SiteProtection,
  detector: ExploitDetector,
  req: IncomingMessage,
  clientIp: string,
): GuardVerdict | Promise<GuardVerdict> {
  if (protection.rateLimiter !== null) {
    const decision = protection.rateLimiter.take(clientIp);
    if (!decision.allowed) {
      return { allowed: false, status: 429, headers: { "retry-after": String(decision.retryAfterSeconds) }, blockedBy: "rate-limit" };
    }
  }
  if (protection.blockExploits) {
    const match = detector.inspect(req.method ?? "GET", req.url ?? "/", req.headers);
    if (match !== null) return { allowed: false, status: 403, headers: {}, blockedBy: `exploit:${match.ruleId}` };
  }
  if (protection.accessList === null) return ALLOWED;
  const access = protection.accessList.judge(clientIp, req.headers.authorization);
  return access instanceof Promise ? access.then(fromAccess) : fromAccess(access);
}

/**
 * Counts the request against the site's per-address cap until `done` closes. False (counting
 * nothing) when the address is at its cap.
 */
export function holdConnectionSlot(protection: SiteProtection, clientIp: string, done: { once(event: "close", listener: () => void): unknown }): boolean {
  const limiter = protection.connectionLimiter;
  if (limiter === null) return true;
  if (!limiter.acquire(clientIp)) return false;
  done.once("close", () => limiter.release(clientIp));
  return true;
}
