import type { Duplex } from "node:stream";

interface CountingSocket {
  bytesRead?: number;
  bytesWritten?: number;
}

/**
 * Bytes of one client connection not yet attributed to a request. On a keep-alive connection each
 * request takes what was read and written since the previous one finished (request line, headers,
 * body and framing as on the wire, after TLS decryption).
 */
export class ByteCount {
  private read = 0;
  private written = 0;

  constructor(private readonly socket: Duplex) {}

  /** What is new since the last call; counts it as taken. */
  take(): { bytesIn: number; bytesOut: number } {
    const socket = this.socket as CountingSocket;
    const read = socket.bytesRead ?? this.read;
    const written = socket.bytesWritten ?? this.written;
    const taken = { bytesIn: Math.max(0, read - this.read), bytesOut: Math.max(0, written - this.written) };
    this.read = read;
    this.written = written;
    return taken;
  }
}
