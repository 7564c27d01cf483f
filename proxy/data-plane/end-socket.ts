import type { Duplex } from "node:stream";

/** Long enough to flush a small error page to any reader; short enough not to hoard sockets. */
const FLUSH_LIMIT_MS = 5_000;

/**
 * Writes a last answer on a raw socket and closes it for good. HTTP server sockets allow
 * half-open connections, so a plain end() would leave the socket open for as long as the client
 * cares to keep its side open; a client that never reads cannot hold it past the flush limit.
 */
export function endSocket(socket: Duplex, data: string | Buffer): void {
  if (!socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  const limit = setTimeout(() => socket.destroy(), FLUSH_LIMIT_MS);
  limit.unref();
  socket.once("close", () => clearTimeout(limit));
  socket.once("finish", () => socket.destroy());
  socket.end(data);
}
