import type net from "node:net";
import type tls from "node:tls";
import { scanClientHello } from "./client-hello";

export interface TlsDispatchOptions {
  /** The TLS server that should handshake with a client asking for this name (null: no SNI or not TLS). */
  pick(serverName: string | null): tls.Server;
  /** A client that has not sent its whole ClientHello by then is dropped (slow-loris on the handshake). */
  helloTimeoutMs: number;
}

/**
 * Accepts raw TCP connections and hands each to a TLS server chosen by the ClientHello's server
 * name. The bytes read to find the name are put back, and Node's TLS socket replays buffered
 * bytes before reading from the connection, so the chosen server sees the handshake untouched.
 */
export function createTlsDispatcher(options: TlsDispatchOptions): (socket: net.Socket) => void {
  return (socket) => {
    let received: Buffer | null = null;
    const timer = setTimeout(() => socket.destroy(), options.helloTimeoutMs);
    const onData = (chunk: Buffer): void => {
      received = received === null ? chunk : Buffer.concat([received, chunk]);
      const scan = scanClientHello(received);
      if (scan.state === "incomplete") return;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.pause();
      socket.unshift(received);
      options.pick(scan.state === "done" ? scan.serverName : null).emit("connection", socket);
    };
    const onClose = (): void => clearTimeout(timer);
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.on("error", () => socket.destroy());
  };
}
