import type net from "node:net";
import type tls from "node:tls";
import { scanClientHello } from "./client-hello";

export interface TlsDispatchOptions {
  /** The TLS server that should handshake with a client asking for this name (null: no SNI or not TLS). */
  pick(serverName: string | null): tls.Server;
  /**
   * Takes the connection instead of a TLS server when the name's site is passed through (its
   * ClientHello already put back in front); true when it did.
   */
  passThrough?(serverName: string, socket: net.Socket): boolean;
  /** A client that has not sent its whole ClientHello by then is dropped (slow-loris on the handshake). */
  helloTimeoutMs: number;
}

/**
 * Accepts raw TCP connections and hands each to a TLS server chosen by the ClientHello's server
 * name. The bytes read to find the name are put back, and Node's TLS socket replays buffered
 * bytes before reading from the connection, so the chosen server sees the handshake untouched;
 * a pass-through site's upstream gets them first in the same way.
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
      const serverName = scan.state === "done" ? scan.serverName : null;
      if (serverName !== null && options.passThrough?.(serverName, socket)) return;
      options.pick(serverName).emit("connection", socket);
    };
    const onClose = (): void => clearTimeout(timer);
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.on("error", () => socket.destroy());
  };
}
