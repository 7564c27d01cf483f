import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import type { Logger } from "pino";
import { plainAddress } from "../data-plane/client-ip";
import type { RuntimeStream } from "../runtime/runtime-types";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { SocketUpstream } from "./socket-upstreams";
import type { EndedConnection } from "./tcp-relay";

/** Sessions a stream's port holds at once in one worker; datagrams of further clients are dropped until some end. */
export const MAX_UDP_SESSIONS = 4_096;
/** Datagrams held for a session while its upstream socket connects (a few milliseconds); more are dropped, as a full buffer would. */
const MAX_WAITING_DATAGRAMS = 64;

export interface UdpRelayOptions {
  pool: UpstreamPool;
  /** The stream as it serves now (a change applies to new sessions); undefined once it is gone. */
  stream: () => RuntimeStream | undefined;
  /** A session ended: counted as one connection, with its bytes both ways and its duration. */
  onEnded: (ended: EndedConnection) => void;
  logger: Logger;
}

/** One client's flow (address and port): its own connected socket to the upstream picked for it. */
interface Session {
  readonly key: string;
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly clientIp: string;
  readonly streamId: string;
  readonly upstream: SocketUpstream;
  readonly socket: dgram.Socket;
  readonly startedAt: number;
  lastActive: number;
  bytesIn: number;
  bytesOut: number;
  timer: NodeJS.Timeout;
  ended: boolean;
  /** Datagrams that arrived before the upstream socket was connected (node does not queue them); null once connected. */
  waiting: Buffer[] | null;
}

/**
 * Relays the datagrams arriving on a stream's UDP port. The first datagram of a client (address
 * and port) opens a session: an upstream picked by the stream's UDP group and a connected socket
 * to it, so that the upstream's answers are told apart by the socket they arrive on and go back
 * to that client from the listening socket (the port the client sent to). A session lasts until
 * the stream's idle timeout passes with nothing either way.
 */
export class UdpRelay {
  private readonly sessions = new Map<string, Session>();
  private closed = false;

  constructor(
    private readonly listening: dgram.Socket,
    private readonly options: UdpRelayOptions,
  ) {
    listening.on("message", (datagram, from) => this.received(datagram, from));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  private received(datagram: Buffer, from: dgram.RemoteInfo): void {
    if (this.closed) return;
    const key = `${from.address}|${from.port}`;
    let session = this.sessions.get(key);
    if (session === undefined) {
      const stream = this.options.stream();
      if (stream?.udp == null) return;
      const clientIp = plainAddress(from.address);
      // A refused client's datagrams are dropped, unanswered.
      if (stream.access !== null && !stream.access.admitsWithoutLogin(clientIp)) return;
      if (this.sessions.size >= MAX_UDP_SESSIONS) {
        this.options.logger.warn({ stream: stream.id, sessions: this.sessions.size }, "too many UDP sessions; datagram dropped");
        return;
      }
      const upstream = this.options.pool.pick(stream.udp, { clientAddress: `${clientIp}|${from.port}` });
      if (upstream === null) return;
      session = this.open(stream, key, from, clientIp, upstream);
    }
    session.bytesIn += datagram.length;
    session.lastActive = performance.now();
    if (session.waiting === null) session.socket.send(datagram);
    else if (session.waiting.length < MAX_WAITING_DATAGRAMS) session.waiting.push(datagram);
  }

  private open(stream: RuntimeStream, key: string, from: dgram.RemoteInfo, clientIp: string, upstream: SocketUpstream): Session {
    const socket = dgram.createSocket(isIPv6(upstream.host) ? "udp6" : "udp4");
    const now = performance.now();
    const session: Session = {
      key,
      clientAddress: from.address,
      clientPort: from.port,
      clientIp,
      streamId: stream.id,
      upstream,
      socket,
      startedAt: now,
      lastActive: now,
      bytesIn: 0,
      bytesOut: 0,
      timer: setTimeout(() => this.idleCheck(session, stream.idleTimeoutMs), stream.idleTimeoutMs),
      ended: false,
      waiting: [],
    };
    this.sessions.set(key, session);
    this.options.pool.acquire(upstream.id);
    socket.connect(upstream.port, upstream.host, () => {
      const waiting = session.waiting ?? [];
      session.waiting = null;
      if (session.ended) return;
      for (const datagram of waiting) socket.send(datagram);
    });
    socket.on("message", (answer) => {
      if (session.ended || this.closed) return;
      session.bytesOut += answer.length;
      session.lastActive = performance.now();
      this.listening.send(answer, session.clientPort, session.clientAddress);
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A connected UDP socket learns of an ICMP "port unreachable" as ECONNREFUSED: the upstream is not there.
      const group = this.options.stream()?.udp;
      if (group != null)
        this.options.pool.recordFailure(group, upstream, error.code === "ECONNREFUSED" ? "connection refused" : (error.code ?? error.message));
      this.end(session);
    });
    return session;
  }

  /** One timer per session, moved on lazily: a busy session costs no timer work per datagram. */
  private idleCheck(session: Session, idleMs: number): void {
    if (session.ended) return;
    const quietFor = performance.now() - session.lastActive;
    if (quietFor >= idleMs) this.end(session);
    else session.timer = setTimeout(() => this.idleCheck(session, idleMs), idleMs - quietFor);
  }

  private end(session: Session): void {
    if (session.ended) return;
    session.ended = true;
    clearTimeout(session.timer);
    this.sessions.delete(session.key);
    this.options.pool.release(session.upstream.id);
    try {
      session.socket.close();
    } catch {
      // already closed
    }
    this.options.onEnded({
      routeId: session.streamId,
      clientIp: session.clientIp,
      bytesIn: session.bytesIn,
      bytesOut: session.bytesOut,
      durationMs: Math.round(session.lastActive - session.startedAt),
    });
  }

  /** Ends every session (each counted) and closes the port. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const session of [...this.sessions.values()]) this.end(session);
    return new Promise((resolve) => {
      try {
        this.listening.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
