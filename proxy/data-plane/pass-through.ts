import type net from "node:net";
import type { Logger } from "pino";
import { parseHostHeader } from "../routing/parse-host-header";
import type { ProxyRuntime, RuntimeSite } from "../runtime/runtime-types";
import type { TcpRelay, TcpRoute } from "../streams/tcp-relay";
import { clientAddress } from "./client-ip";

export type PassThroughSite = RuntimeSite & { readonly passthrough: TcpRoute };

/** The pass-through site a TLS server name (or a Host header's name) belongs to; null when none is. */
export function passThroughSite(runtime: ProxyRuntime | null, name: string): PassThroughSite | null {
  const hostname = parseHostHeader(name);
  const site = hostname === null ? null : (runtime?.router.matchHostname(hostname) ?? null);
  return site?.passthrough ? (site as PassThroughSite) : null;
}

/**
 * Whether the site's access list lets the address in. Only its address rules can: the connection
 * is never decrypted, so there is no HTTP to ask for a login with.
 */
export function admitsConnection(site: RuntimeSite, clientIp: string): boolean {
  return site.protection.accessList?.admitsWithoutLogin(clientIp) ?? true;
}

/**
 * The HTTPS port's hook for pass-through sites: a connection whose server name is one is relayed
 * to its upstreams, or closed when its access list refuses the client. true: it was taken.
 */
export function passThroughTo(relay: TcpRelay, runtime: () => ProxyRuntime | null, logger: Logger) {
  return (servername: string, socket: net.Socket): boolean => {
    const site = passThroughSite(runtime(), servername);
    if (site === null) return false;
    const clientIp = clientAddress(socket) ?? "";
    if (!admitsConnection(site, clientIp)) {
      logger.debug({ site: site.id, clientIp }, "pass-through connection refused by the access list");
      socket.destroy();
      return true;
    }
    // A client's half-close goes on to the upstream, which may still answer (the relay passes it).
    socket.allowHalfOpen = true;
    relay.relay(site.passthrough, socket);
    return true;
  };
}
