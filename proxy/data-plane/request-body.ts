import type { IncomingMessage } from "node:http";
import { Transform, type TransformCallback } from "node:stream";

export interface BodyPace {
  /** The first body bytes must come within this time, and it is the grace any stall gets. */
  timeoutMs: number;
  /** Each byte received buys the client 1/rate seconds more (Apache's mod_reqtimeout model). */
  minBytesPerSecond: number;
}

/** Whether the request's framing announces a body (Node has already refused contradictory framing). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * A request body on its way to the upstream, with a minimum pace: a client that stops sending, or
 * trickles a few bytes now and then, is cut (408) instead of holding a connection here and one at
 * the upstream. Time spent waiting for the upstream to take the bytes (backpressure) never counts
 * against the client. Emits "stall" once when the client falls below the pace.
 */
export class RequestBody extends Transform {
  /** The client fell below the pace: whatever happens to this request now is its own doing. */
  stalled = false;
  private deadline: number;
  private timer: NodeJS.Timeout | null;

  constructor(private readonly pace: BodyPace) {
    super();
    this.deadline = Date.now() + pace.timeoutMs;
    this.timer = setTimeout(() => this.check(), pace.timeoutMs);
    this.once("close", () => this.stopTimer());
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.deadline += (chunk.length * 1000) / this.pace.minBytesPerSecond;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.stopTimer();
    callback();
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
