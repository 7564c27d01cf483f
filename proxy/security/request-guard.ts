import type { IncomingMessage } from "node:http";
import type { AccessVerdict } from "./access-list";
import type { ExploitDetector } from "./exploit-detector";
import type { RateDecision } from "./request-rate-limiter";
import type { SiteProtection } from "./site-protection";

/** What stopped a request, for the blocked-requests log: "rate-limit", "access-list", "exploit:<rule id>". */
export type GuardVerdict = { allowed: true } | { allowed: false; status: 401 | 403 | 429; headers: Record<string, string>; blockedBy: string };

const ALLOWED: GuardVerdict = { allowed: true };

/** An access list's verdict as the protect stage answers it. */
export function fromAccess(verdict: AccessVerdict): GuardVerdict {
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
 * password has to be checked or the rate limit is decided by the primary for all workers.
 */
export function judgeRequest(
  protection: SiteProtection,
  detector: ExploitDetector,
  req: IncomingMessage,
  clientIp: string,
): GuardVerdict | Promise<GuardVerdict> {
  if (protection.rateLimiter === null) return judgeContent(protection, detector, req, clientIp);
  const decision = protection.rateLimiter.take(clientIp);
  return decision instanceof Promise
    ? decision.then((settled) => afterRateLimit(settled, protection, detector, req, clientIp))
    : afterRateLimit(decision, protection, detector, req, clientIp);
}

function afterRateLimit(
  decision: RateDecision,
  protection: SiteProtection,
  detector: ExploitDetector,
  req: IncomingMessage,
  clientIp: string,
): GuardVerdict | Promise<GuardVerdict> {
  if (!decision.allowed) {
    return { allowed: false, status: 429, headers: { "retry-after": String(decision.retryAfterSeconds) }, blockedBy: "rate-limit" };
  }
  return judgeContent(protection, detector, req, clientIp);
}

function judgeContent(
  protection: SiteProtection,
  detector: ExploitDetector,
  req: IncomingMessage,
  clientIp: string,
): GuardVerdict | Promise<GuardVerdict> {
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
 * nothing) when the address is at its cap; a Promise when the primary decides for all workers
 * (a slot granted after `done` closed is given back at once).
 */
export function holdConnectionSlot(
  protection: SiteProtection,
  clientIp: string,
  done: { once(event: "close", listener: () => void): unknown },
): boolean | Promise<boolean> {
  const limiter = protection.connectionLimiter;
  if (limiter === null) return true;
  const granted = limiter.acquire(clientIp);
  if (!(granted instanceof Promise)) {
    if (granted) done.once("close", () => limiter.release(clientIp));
    return granted;
  }
  let closed = false;
  let held = false;
  done.once("close", () => {
    closed = true;
    if (held) limiter.release(clientIp);
  });
  return granted.then((answer) => {
    if (answer && closed) limiter.release(clientIp);
    held = answer && !closed;
    return answer;
  });
}
