import type { Server as HttpServer } from "node:http";
import type { Server, Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * Knows what is still in flight, so that a graceful shutdown can wait for exactly that and then
 * close everything that is left (idle keep-alive sockets, half-done TLS handshakes).
 */
export class ConnectionTracker {
  private inFlight = 0;
  private readonly upgraded = new Set<Duplex>();
  private readonly sockets = new Set<Socket>();
  private readonly idleWaiters: Array<() => void> = [];
  private draining = false;

  /** `rawServers` hand their connections on to the HTTP servers (the TLS front): tracked so they are cut on close. */
  constructor(
    private readonly servers: readonly HttpServer[],
    rawServers: readonly Server[] = [],
  ) {
    for (const server of [...servers, ...rawServers]) {
      server.on("connection", (socket: Socket) => {
        this.sockets.add(socket);
        socket.once("close", () => this.sockets.delete(socket));
      });
    }
  }

  get isDraining(): boolean {
    return this.draining;
  }

  get activeCount(): number {
    return this.inFlight + this.upgraded.size;
  }

  /** Counts a request until its response is finished or abandoned. */
  trackResponse(res: { once(event: "close", listener: () => void): unknown }): void {
    this.inFlight += 1;
    res.once("close", () => {
      this.inFlight -= 1;
      this.settled();
    });
  }

  /** Counts a websocket (or other upgraded) connection until it closes. */
  trackUpgrade(socket: Duplex): void {
    this.upgraded.add(socket);
    socket.once("close", () => {
      this.upgraded.delete(socket);
      this.settled();
    });
  }

  /** Stop accepting; resolves once nothing is in flight (the caller adds the time cap). */
  startDraining(): Promise<void> {
    this.draining = true;
    this.closeIdle();
    return new Promise((resolve) => {
      if (this.activeCount === 0) resolve();
      else this.idleWaiters.push(resolve);
    });
  }

  /** Cuts whatever is still open. */
  destroyAll(): void {
    for (const server of this.servers) server.closeAllConnections();
    for (const socket of this.upgraded) socket.destroy();
    for (const socket of this.sockets) socket.destroy();
  }

  private settled(): void {
    if (!this.draining) return;
    // A keep-alive connection whose last response just finished is idle now: close it.
    setImmediate(() => this.closeIdle());
    if (this.activeCount === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private closeIdle(): void {
    for (const server of this.servers) server.closeIdleConnections();
  }
}
