import type { Http2Session } from "node:http2";
import type { Duplex } from "node:stream";

interface CountingSocket {
  bytesRead?: number;
  bytesWritten?: number;
}

const NOTHING_NEW = { bytesIn: 0, bytesOut: 0 } as const;

/**
 * Bytes of one client connection not yet attributed to a request. On a keep-alive connection each
 * request takes what was read and written since the previous one finished (request line, headers,
 * body and framing as on the wire, after TLS decryption).
 */
export class ByteCount {
  private read = 0;
  private written = 0;

  /** `socket` answers null once its counters can no longer be read. */
  private constructor(private readonly socket: () => CountingSocket | null) {}

  static of(socket: Duplex): ByteCount {
    return new ByteCount(() => socket as CountingSocket);
  }

  /**
   * An HTTP/2 connection's, shared by its streams. Node unbinds a destroyed session's socket, and
   * reading it then throws: streams that close after their connection was cut take nothing.
   */
  static ofSession(session: Http2Session): ByteCount {
    return new ByteCount(() => (session.destroyed ? null : session.socket));
  }

  /** What is new since the last call; counts it as taken. */
  take(): { bytesIn: number; bytesOut: number } {
    const socket = this.socket();
    if (socket === null) return NOTHING_NEW;
    const read = socket.bytesRead ?? this.read;
    const written = socket.bytesWritten ?? this.written;
    const taken = { bytesIn: Math.max(0, read - this.read), bytesOut: Math.max(0, written - this.written) };
    this.read = read;
    this.written = written;
    return taken;
  }
}
