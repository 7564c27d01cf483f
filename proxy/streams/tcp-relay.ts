import net from "node:net";
import type { Logger } from "pino";
import { clientAddress } from "../data-plane/client-ip";
import { errorCode } from "../forwarding/upstream-failure";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { proxyV2Header } from "./proxy-protocol";
import type { SocketGroup, SocketUpstream } from "./socket-upstreams";

/** What a connection is relayed for: a pass-through site or a TCP stream. */
export interface TcpRoute {
  /** The site's or the stream's id: its connections are counted under it. */
  readonly id: string;
  readonly group: SocketGroup;
  /** Start each upstream connection with a PROXY protocol v2 header naming the client. */
  readonly proxyProtocol: boolean;
  /** Nothing sent either way for this long ends the connection. */
  readonly idleTimeoutMs: number;
}

/** One relayed connection, when it ended: bytes from and to the client, and how long it lasted. */
export interface EndedConnection {
  routeId: string;
  clientIp: string;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
}

export interface TcpRelayOptions {
  pool: UpstreamPool;
  /** An upstream that has not accepted the connection by then counts as failed; the next one is tried. */
  connectTimeoutMs: number;
  onEnded?: (ended: EndedConnection) => void;
  logger: Logger;
}

/** The state of one relayed connection, passed along its stages. */
interface Relay {
  readonly route: TcpRoute;
  readonly client: net.Socket;
  readonly clientIp: string;
  readonly startedAt: number;
  /** Upstreams tried and failed, so that each is tried at most once. */
  readonly tried: Set<string>;
  upstream: net.Socket | null;
}

const CONNECT_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
};

/**
 * Splices client connections to upstreams byte for byte: the route's policy picks an upstream the
 * pool holds available; one that refuses or does not accept in time counts as a passive failure
 * and the next is tried (the client has sent nothing anyone read yet). Then bytes flow both ways
 * until either side closes or the connection is idle for the route's timeout. A half-close (FIN)
 * is passed on when the client socket allows half-open connections.
 */
export class TcpRelay {
  constructor(private readonly options: TcpRelayOptions) {}

  relay(route: TcpRoute, client: net.Socket): void {
    const relay: Relay = {
      route,
      client,
      // An IPv4 client on a dual-stack port is written as IPv4, as for HTTP requests.
      clientIp: clientAddress(client) ?? "",
      startedAt: performance.now(),
      tried: new Set(),
      upstream: null,
    };
    client.pause();
    client.on("error", () => client.destroy());
    client.once("close", () => this.ended(relay));
    client.setTimeout(route.idleTimeoutMs, () => client.destroy());
    this.connect(relay);
  }

  private connect(relay: Relay): void {
    const { pool, connectTimeoutMs } = this.options;
    const { route, client } = relay;
    if (client.destroyed) return;
    const exclude = [...relay.tried].at(-1);
    const upstream = pool.pick(route.group, { clientAddress: relay.clientIp, exclude });
    if (upstream === null || relay.tried.has(upstream.id)) {
      client.destroy();
      return;
    }
    pool.acquire(upstream.id);
    const socket = net.connect({ host: upstream.host, port: upstream.port, allowHalfOpen: true });
    relay.upstream = socket;
    let connected = false;
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" })), connectTimeoutMs);
    socket.once("close", () => pool.release(upstream.id));
    socket.on("error", (error) => {
      clearTimeout(timer);
      if (!connected) this.failed(relay, upstream, error);
      else client.destroy();
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      connected = true;
      pool.recordSuccess(upstream.id);
      this.splice(relay, socket);
    });
  }

  private failed(relay: Relay, upstream: SocketUpstream, error: Error): void {
    const code = errorCode(error) ?? "";
    const reason = CONNECT_WORDS[code] ?? (code || error.message);
    this.options.pool.recordFailure(relay.route.group, upstream, reason);
    this.options.logger.debug({ upstream: upstream.address, reason }, "upstream connection failed");
    relay.tried.add(upstream.id);
    relay.upstream = null;
    this.connect(relay);
  }

  private splice(relay: Relay, upstream: net.Socket): void {
    const { client, route } = relay;
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    if (route.proxyProtocol) {
      const source = { address: client.remoteAddress ?? "", port: client.remotePort ?? 0 };
      const destination = { address: client.localAddress ?? "", port: client.localPort ?? 0 };
      upstream.write(proxyV2Header(source, destination, "tcp"));
    }
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    // pipe() passes each side's end on as the other's half-close, and holds back a fast sender.
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.setTimeout(route.idleTimeoutMs, () => upstream.destroy());
    upstream.once("close", () => closeAfterFlush(client));
    client.resume();
  }

  private ended(relay: Relay): void {
    if (relay.upstream !== null) closeAfterFlush(relay.upstream);
    this.options.onEnded?.({
      routeId: relay.route.id,
      clientIp: relay.clientIp,
      bytesIn: relay.client.bytesRead,
      bytesOut: relay.client.bytesWritten,
      durationMs: Math.round(performance.now() - relay.startedAt),
    });
  }
}

/**
 * The other side of a relay closed: a socket whose end it passed on closes once what was written
 * to it has gone out (a large upload is not cut short); one it did not end (a reset) closes at once.
 */
function closeAfterFlush(socket: net.Socket): void {
  if (socket.writableEnded && !socket.writableFinished) socket.once("finish", () => socket.destroy());
  else socket.destroy();
}
