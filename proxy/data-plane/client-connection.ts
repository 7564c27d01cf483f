import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ByteCount } from "../traffic/byte-count";

/**
 * Pipelined requests waiting behind the one being answered, at most; a client sending more is cut.
 * Node parses whatever arrives (it stops reading only while the client does not read its
 * answers), so this bounds what one connection can pile up.
 */
export const MAX_WAITING_REQUESTS = 128;

export interface ClientConnectionOptions {
  /** A request's headers must be complete this long after the connection opened or the last answer. */
  headersTimeoutMs: number;
  /** The headers did not come in time: answer 408 and close. */
  onHeadersTimeout(socket: Duplex): void;
  /** A request starts being handled: it is in flight until onEnd. */
  onStart(): void;
  /** Its response closed (sent, or the client left). */
  onEnd(): void;
}

/** Handles an admitted request; `bytes` are its connection's, for counting its traffic. */
export type AdmittedHandler = (bytes: ByteCount) => void;

interface Waiting {
  res: ServerResponse;
  handle: AdmittedHandler;
}

/**
 * One HTTP/1.1 client connection. Responses must go out in order, so its requests are handled one
 * at a time: one upstream request per client connection however many it pipelines (Node would
 * start them all at once). Node runs its own headers and request timeouts only for servers that
 * listen(), and the proxy's workers are handed their connections instead, so the deadlines live
 * here, on every path a connection can take.
 */
export class ClientConnection {
  /** Bytes read and written on the connection not yet counted to a request. */
  readonly bytes: ByteCount;
  private answering = false;
  private readonly waiting: Waiting[] = [];
  /** Armed while the connection waits for a request's headers; it ignores firing while one is answered. */
  private readonly headersTimer: NodeJS.Timeout;
  private detached = false;

  constructor(
    private readonly socket: Duplex,
    private readonly options: ClientConnectionOptions,
  ) {
    this.bytes = ByteCount.of(socket);
    this.headersTimer = setTimeout(() => {
      if (!this.answering && !this.detached && !this.socket.destroyed) this.options.onHeadersTimeout(this.socket);
    }, options.headersTimeoutMs);
  }

  /** No request of this connection is being answered (it may be sending one). */
  get idle(): boolean {
    return !this.answering;
  }

  /** Node parsed a request's headers: handle it now, or once the requests before it are answered. */
  admit(res: ServerResponse, handle: AdmittedHandler): void {
    if (this.detached || this.socket.destroyed) return;
    if (!this.answering) this.start({ res, handle });
    else if (this.waiting.length < MAX_WAITING_REQUESTS) this.waiting.push({ res, handle });
    else this.socket.destroy();
  }

  /** The connection closed or left HTTP/1.1 (an upgrade): its deadlines and queue are no longer ours. */
  detach(): void {
    this.detached = true;
    clearTimeout(this.headersTimer);
    this.waiting.length = 0;
  }

  private start({ res, handle }: Waiting): void {
    this.answering = true;
    this.options.onStart();
    res.once("close", () => {
      this.options.onEnd();
      this.answered();
    });
    handle(this.bytes);
  }

  private answered(): void {
    this.answering = false;
    if (this.detached || this.socket.destroyed) return;
    const next = this.waiting.shift();
    if (next !== undefined) this.start(next);
    // Re-arming one timer costs less than a new one for every request.
    else this.headersTimer.refresh();
  }
}
