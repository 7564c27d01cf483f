import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { Transform, type TransformCallback } from "node:stream";

export interface BodyPace {
  /** The first body bytes must come within this time, and it is the grace any stall gets. */
  timeoutMs: number;
  /** Each byte received buys the client 1/rate seconds more (Apache's mod_reqtimeout model). */
  minBytesPerSecond: number;
}

/** The first bytes of a body, held back before any byte is passed on. */
export interface HeldBody {
  prefix: Buffer;
  /** The body ended within them: they are all of it. */
  complete: boolean;
}

/**
 * Whether the request's framing announces a body (Node has already refused contradictory framing).
 * An HTTP/2 request has one unless its headers ended the stream.
 */
export function hasBody(req: IncomingMessage): boolean {
  if (req.httpVersionMajor === 2) return !(req as unknown as Http2ServerRequest).stream.endAfterHeaders;
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * A request body on its way to the upstream, with a minimum pace: a client that stops sending, or
 * trickles a few bytes now and then, is cut (408) instead of holding a connection here and one at
 * the upstream. Time spent waiting for the upstream to take the bytes (backpressure) never counts
 * against the client. Emits "stall" once when the client falls below the pace.
 *
 * With `holdBytes`, the first that many bytes are held back (`held` resolves with them) until
 * release(), so they can be inspected before anything reaches the upstream; the client is then
 * held too, by backpressure, so no more than that is ever buffered here.
 */
export class RequestBody extends Transform {
  /** The client fell below the pace: whatever happens to this request now is its own doing. */
  stalled = false;
  /** The held prefix, once there is enough of it (or the whole, shorter body); null without a hold. */
  readonly held: Promise<HeldBody> | null;
  private holding: Buffer[] | null = null;
  private heldBytes = 0;
  private settleHeld: (held: HeldBody) => void = () => undefined;
  /** The stream's own callback, kept while the held bytes wait: calling it lets the rest flow. */
  private pending: (() => void) | null = null;
  private deadline: number;
  private timer: NodeJS.Timeout | null;

  constructor(
    private readonly pace: BodyPace,
    private readonly holdBytes = 0,
  ) {
    super();
    if (holdBytes > 0) {
      this.holding = [];
      this.held = new Promise((resolve) => (this.settleHeld = resolve));
    } else this.held = null;
    this.deadline = Date.now() + pace.timeoutMs;
    this.timer = setTimeout(() => this.check(), pace.timeoutMs);
    this.once("close", () => this.stopTimer());
  }

  /** Passes the held bytes on, and everything after them. */
  release(): void {
    if (this.holding === null) return;
    const held = Buffer.concat(this.holding);
    this.holding = null;
    if (held.length > 0) this.push(held);
    const pending = this.pending;
    this.pending = null;
    pending?.();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.deadline += (chunk.length * 1000) / this.pace.minBytesPerSecond;
    if (this.holding === null) {
      callback(null, chunk);
      return;
    }
    this.holding.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < this.holdBytes) {
      callback();
      return;
    }
    this.pending = callback;
    this.settleHeld({ prefix: Buffer.concat(this.holding), complete: false });
  }

  override _flush(callback: TransformCallback): void {
    this.stopTimer();
    if (this.holding === null) {
      callback();
      return;
    }
    this.pending = callback;
    this.settleHeld({ prefix: Buffer.concat(this.holding), complete: true });
  }

  private check(): void {
    this.timer = null;
    const now = Date.now();
    // Bytes still held here mean the upstream is the slow side: the client gets a fresh grace.
    if (this.readableLength > 0 || this.writableLength > 0) this.deadline = Math.max(this.deadline, now + this.pace.timeoutMs);
    if (now < this.deadline) {
      this.timer = setTimeout(() => this.check(), this.deadline - now);
      return;
    }
    this.stalled = true;
    this.emit("stall");
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
