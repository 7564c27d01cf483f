import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { endSocket } from "../data-plane/end-socket";
import { dropResponse } from "../data-plane/drop-response";
import { responseGone, sendErrorPage, writeRawErrorResponse } from "../data-plane/error-pages";

/**
 * How the proxy answers a client itself, whatever carries the request: a ServerResponse for an
 * HTTP request, the raw socket for an upgrade that is refused or fails before it is switched.
 */
export interface Reply {
  /**
   * An error page (`page`, or the built-in one for the status), or an empty redirect when
   * `headers` holds a Location, with these headers.
   */
  send(status: number, headers?: Record<string, string>, page?: string): void;
  /** An answer the site configured, with this body (left out for HEAD; its length is sent all the same). */
  sendBody(status: number, headers: Record<string, string>, body: Buffer): void;
  /** No answer at all (nginx's 444): the connection, or an HTTP/2 stream, is cut. */
  drop(): void;
  /** The status sent so far; 0 while nothing is. */
  readonly status: number;
  /** Whether the client is gone or already has its whole answer. */
  readonly done: boolean;
  onClose(listener: () => void): void;
  /** From `startedAt` (performance.now()) to the answer; -1 when there was none. Read at close. */
  latencyMs(startedAt: number): number;
}

export class ResponseReply implements Reply {
  constructor(readonly res: ServerResponse) {}

  send(status: number, headers?: Record<string, string>, page?: string): void {
    if (headers?.location !== undefined) {
      if (this.res.headersSent || this.done) return;
      this.res.writeHead(status, { ...headers, "content-length": "0" });
      this.res.end();
    } else sendErrorPage(this.res, status, headers, page);
  }

  drop(): void {
    dropResponse(this.res);
  }

  sendBody(status: number, headers: Record<string, string>, body: Buffer): void {
    if (this.res.headersSent || this.done) return;
    this.res.writeHead(status, { ...headers, "content-length": String(body.length) });
    this.res.end(this.res.req.method === "HEAD" ? undefined : body);
  }

  get status(): number {
    return this.res.headersSent ? this.res.statusCode : 0;
  }

  get done(): boolean {
    return responseGone(this.res);
  }

  onClose(listener: () => void): void {
    // Whatever is held until the response closes is let go at once if it has closed already.
    if (this.res.destroyed) listener();
    else this.res.once("close", listener);
  }

  /** A response's latency runs until it is finished: at close, that is now. */
  latencyMs(startedAt: number): number {
    return performance.now() - startedAt;
  }
}

const EMPTY = Buffer.alloc(0);

/** An upgrade's socket: answers are written raw and close it. */
export class SocketReply implements Reply {
  private sent = 0;
  private answeredAt = 0;

  constructor(readonly socket: Duplex) {}

  send(status: number, headers: Record<string, string> = {}, page?: string): void {
    if (this.sent !== 0) return;
    this.answered(status);
    if (headers.location === undefined) writeRawErrorResponse(this.socket, status, headers, page);
    else this.write(status, headers, EMPTY);
  }

  sendBody(status: number, headers: Record<string, string>, body: Buffer): void {
    if (this.sent !== 0) return;
    this.answered(status);
    this.write(status, headers, body);
  }

  drop(): void {
    this.socket.destroy();
  }

  private write(status: number, headers: Record<string, string>, body: Buffer): void {
    const lines = Object.entries({ ...headers, "content-length": String(body.length), connection: "close" }).map(
      ([name, value]) => `${name}: ${value}\r\n`,
    );
    endSocket(this.socket, Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n${lines.join("")}\r\n`, "latin1"), body]));
  }

  /** The upgrade was answered by the upstream (101, or its own refusal). */
  answered(status: number): void {
    if (this.sent !== 0) return;
    this.sent = status;
    this.answeredAt = performance.now();
  }

  get status(): number {
    return this.sent;
  }

  get done(): boolean {
    return this.socket.destroyed;
  }

  onClose(listener: () => void): void {
    if (this.socket.destroyed) listener();
    else this.socket.once("close", listener);
  }

  /** A websocket's latency is its handshake's: the connection itself lasts as long as it likes. */
  latencyMs(startedAt: number): number {
    return this.answeredAt === 0 ? -1 : this.answeredAt - startedAt;
  }
}
