import type { IncomingMessage } from "node:http";

const kBlockedBy = Symbol("gatekeeper.blockedBy");

interface MarkedRequest extends IncomingMessage {
  [kBlockedBy]?: string;
}

/** Notes which protection refused a request, for the access log's blocked-requests view. */
export function markBlocked(req: IncomingMessage, blockedBy: string): void {
  (req as MarkedRequest)[kBlockedBy] = blockedBy;
}

export function blockedBy(req: IncomingMessage): string | undefined {
  return (req as MarkedRequest)[kBlockedBy];
}
