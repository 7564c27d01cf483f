import type { IncomingMessage } from "node:http";
import { clientAddress } from "./forwarded-headers";

/**
 * The address of the client a request came from, as logs, top-N panels, access rules and rate
 * limits must see it. Every feature asks here, so that they all agree on who the client is.
 */
export function requestClientIp(req: IncomingMessage): string {
  return clientAddress(req.socket) ?? "";
}
