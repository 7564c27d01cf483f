import type { IncomingMessage } from "node:http";
import type { RuntimeSite } from "../runtime/runtime-types";
import { markBlocked } from "../security/blocked-mark";
import type { ExploitDetector } from "../security/exploit-detector";
import { holdConnectionSlot, judgeRequest, type GuardVerdict } from "../security/request-guard";

export type Refusal = Extract<GuardVerdict, { allowed: false }>;

const TOO_MANY_CONNECTIONS: Refusal = { allowed: false, status: 429, headers: { "retry-after": "1" }, blockedBy: "connection-limit" };

/**
 * Runs a site's protections and, when they let the request through, holds its per-address
 * connection slot until `done` closes. Calls `proceed` with null to go on, or with the refusal
 * to send (already marked on the request for the access log). Synchronous unless a password is
 * being checked.
 */
export function protectRequest(
  site: RuntimeSite,
  detector: ExploitDetector,
  req: IncomingMessage,
  clientIp: string,
  done: { once(event: "close", listener: () => void): unknown },
  proceed: (refusal: Refusal | null) => void,
): void {
  const settle = (verdict: GuardVerdict): void => {
    let refusal: Refusal | null = verdict.allowed ? null : verdict;
    if (refusal === null && !holdConnectionSlot(site.protection, clientIp, done)) refusal = TOO_MANY_CONNECTIONS;
    if (refusal !== null) markBlocked(req, refusal.blockedBy);
    proceed(refusal);
  };
  const verdict = judgeRequest(site.protection, detector, req, clientIp);
  if (verdict instanceof Promise) verdict.then(settle, () => proceed({ allowed: false, status: 403, headers: {}, blockedBy: "access-list" }));
  else settle(verdict);
}
