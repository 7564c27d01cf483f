import dgram from "node:dgram";
import net, { isIPv6 } from "node:net";
import type { Logger } from "pino";
import { ownPortProblem, type OwnPorts } from "@/lib/net/upstream-target";
import { clientAddress } from "../data-plane/client-ip";
import type { RuntimeStream } from "../runtime/runtime-types";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { EndedConnection, TcpRelay } from "./tcp-relay";
import { UdpRelay } from "./udp-relay";

export interface StreamListenersOptions {
  /** Interface to bind, as the HTTP ports; all interfaces (IPv4 and IPv6) when absent. */
  host?: string;
  /** The proxy's own ports: a stream may not take one (the cluster would share that port's socket with it). */
  ownPorts: OwnPorts;
  tcpRelay: TcpRelay;
  pool: UpstreamPool;
  onUdpSessionEnded: (ended: EndedConnection) => void;
  logger: Logger;
}

/** The ports one stream holds open, and the TCP connections they accepted. */
interface Listener {
  /** protocol:port: a change of either closes the ports and opens new ones. */
  readonly key: string;
  readonly tcp: net.Server | null;
  readonly udp: UdpRelay | null;
  readonly connections: Set<net.Socket>;
}

type Opened = { listener: Listener } | { error: string };

/**
 * Opens and closes the streams' ports as the config changes. In a cluster worker every worker
 * listens on the same ports: the primary binds each once and shares it (as it does the HTTP
 * ports), and releases it once every worker has closed it. What a stream's port does looks the
 * stream up when a connection or a new UDP client arrives, so a change of upstreams, policy,
 * access list or timeouts applies to new connections without reopening; a change of port or
 * protocol reopens. A port that cannot be opened is that stream's error, tried again at the next apply.
 */
export class StreamListeners {
  private streams: ReadonlyMap<string, RuntimeStream> = new Map();
  private readonly listeners = new Map<string, Listener>();
  private readonly portErrors = new Map<string, string>();
  private settled: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: StreamListenersOptions) {}

  /**
   * Serves these streams from now on. Ports open in order of applies (one apply's opens finish
   * before the next starts); errors() answers once this apply's ports are open or failed.
   */
  apply(streams: ReadonlyMap<string, RuntimeStream>): void {
    this.streams = streams;
    this.settled = this.settled.then(() => this.reconcile());
  }

  /** Once the latest apply's ports are open or failed: why a stream's port could not be opened, by stream id. */
  async errors(): Promise<Record<string, string>> {
    await this.settled;
    return Object.fromEntries(this.portErrors);
  }

  /** TCP connections relayed now. */
  get activeCount(): number {
    let count = 0;
    for (const listener of this.listeners.values()) count += listener.connections.size;
    return count;
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const wanted = this.streams;
    // Closed first, so that a port one stream gives up can be taken by another in the same apply.
    const closing: Promise<void>[] = [];
    for (const [id, listener] of this.listeners) {
      const stream = wanted.get(id);
      if (stream !== undefined && keyOf(stream) === listener.key) continue;
      this.listeners.delete(id);
      closing.push(closeListener(listener, true));
    }
    for (const id of this.portErrors.keys()) if (!wanted.has(id)) this.portErrors.delete(id);
    await Promise.all(closing);
    await Promise.all(
      [...wanted.values()]
        .filter((stream) => !this.listeners.has(stream.id))
        .map(async (stream) => {
          const opened = await this.open(stream);
          if (this.closed) {
            if ("listener" in opened) await closeListener(opened.listener, true);
            return;
          }
          if ("error" in opened) {
            this.portErrors.set(stream.id, opened.error);
            this.options.logger.warn({ stream: stream.id, port: stream.listenPort, error: opened.error }, "a stream's port could not be opened");
          } else {
            this.portErrors.delete(stream.id);
            this.listeners.set(stream.id, opened.listener);
          }
        }),
    );
  }

  private async open(stream: RuntimeStream): Promise<Opened> {
    const own = ownPortProblem(stream.listenPort, this.options.ownPorts);
    if (own !== null) return { error: `${own}.` };
    const connections = new Set<net.Socket>();
    let tcp: net.Server | null = null;
    let udp: UdpRelay | null = null;
    try {
      if (stream.tcp !== null) tcp = await this.listenTcp(stream.id, stream.listenPort, connections);
      if (stream.udp !== null) udp = await this.listenUdp(stream.id, stream.listenPort);
    } catch (error) {
      // Both halves or neither: a stream half served would look applied.
      if (tcp !== null) await closeListener({ key: "", tcp, udp: null, connections }, true);
      const { code } = error as NodeJS.ErrnoException;
      return { error: portProblem(stream.listenPort, tcp === null && stream.tcp !== null ? "TCP" : "UDP", code) };
    }
    return { listener: { key: keyOf(stream), tcp, udp, connections } };
  }

  private listenTcp(id: string, port: number, connections: Set<net.Socket>): Promise<net.Server> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
      const stream = this.streams.get(id);
      const ip = clientAddress(socket) ?? "";
      // A refused client's connection is closed at once, before a byte is read or an upstream asked.
      if (stream?.tcp == null || this.closed || (stream.access !== null && !stream.access.admitsWithoutLogin(ip))) {
        socket.destroy();
        return;
      }
      connections.add(socket);
      socket.once("close", () => {
        connections.delete(socket);
        this.settledOne();
      });
      this.options.tcpRelay.relay({ id, group: stream.tcp, proxyProtocol: stream.proxyProtocol, idleTimeoutMs: stream.idleTimeoutMs }, socket);
    });
    server.on("error", (error) => this.options.logger.error({ err: error, stream: id }, "stream server error"));
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        server.off("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        resolve(server);
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen({ port, host: this.options.host });
    });
  }

  private listenUdp(id: string, port: number): Promise<UdpRelay> {
    const host = this.options.host;
    // No host: both families on one socket, as the TCP ports are by default.
    const ipv6 = host === undefined || isIPv6(host);
    const socket = dgram.createSocket({ type: ipv6 ? "udp6" : "udp4", ipv6Only: false });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        socket.off("listening", onListening);
        socket.close();
        reject(error);
      };
      const onListening = () => {
        socket.off("error", onError);
        socket.on("error", (error) => this.options.logger.error({ err: error, stream: id }, "stream UDP socket error"));
        resolve(
          new UdpRelay(socket, {
            pool: this.options.pool,
            stream: () => this.streams.get(id),
            onEnded: this.options.onUdpSessionEnded,
            logger: this.options.logger,
          }),
        );
      };
      socket.once("error", onError);
      socket.once("listening", onListening);
      socket.bind({ port, address: host ?? "::" });
    });
  }

  /** Stops accepting on every stream port (UDP sessions end now); resolves once the ports are closed. */
  stopAccepting(): Promise<void> {
    this.closed = true;
    this.settled = this.settled.then(async () => {
      await Promise.all([...this.listeners.values()].map((listener) => closeListener(listener, false)));
    });
    return this.settled;
  }

  /** Resolves once no TCP connection is relayed any more (the caller caps the wait). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.activeCount === 0) resolve();
      else this.idleWaiters.push(resolve);
    });
  }

  /** Cuts the connections still open. */
  destroyAll(): void {
    for (const listener of this.listeners.values()) for (const socket of listener.connections) socket.destroy();
  }

  private settledOne(): void {
    if (this.activeCount === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function keyOf(stream: RuntimeStream): string {
  return `${stream.protocol}:${stream.listenPort}`;
}

/**
 * Closes the ports: a closed port is released at once (the cluster primary lets go of its socket
 * once every worker has closed it), while close()'s callback would wait for the connections.
 * `cut`: the connections end now too.
 */
async function closeListener(listener: Listener, cut: boolean): Promise<void> {
  if (cut) for (const socket of listener.connections) socket.destroy();
  if (listener.tcp?.listening) listener.tcp.close();
  await listener.udp?.close();
}

/** In plain words, naming who holds the port when that is known. */
function portProblem(port: number, protocol: "TCP" | "UDP", code: string | undefined): string {
  if (code === "EADDRINUSE") return `Port ${port} (${protocol}) is in use by another program.`;
  if (code === "EACCES") {
    return `Port ${port} (${protocol}) needs privileges: ports below 1024 need root or the CAP_NET_BIND_SERVICE capability for node.`;
  }
  if (code === "EADDRNOTAVAIL") return `Port ${port} (${protocol}) cannot be opened: the proxy's host setting is not an address of this machine.`;
  return `Port ${port} (${protocol}) cannot be opened (${code ?? "unknown error"}).`;
}
