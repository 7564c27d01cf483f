import type { HeaderList } from "../data-plane/header-list";

/** What the client gets of an upstream's answer, once a tap has seen its head. */
export interface TappedHead {
  readonly status: number;
  readonly headers: HeaderList;
  /** false: the client gets the head alone (a 304 to its own conditional request); the tap still reads the body. */
  readonly clientBody: boolean;
}

/**
 * How the cache takes part in one forwarded request: it may change the request's validators, sees
 * the answer's head and body, and may answer the client itself (a stored answer confirmed by a
 * 304, or a stale one standing in for a failed upstream). One per request, carried by the forwarder.
 */
export interface AnswerTap {
  /** The client was answered already (stale-while-revalidate): the upstream's answer goes to the tap alone. */
  readonly detached: boolean;
  /** The headers the forwarder made for the upstream, as the tap wants them sent. */
  requestHeaders(headers: HeaderList): HeaderList;
  /**
   * The upstream's answer head (`clientHeaders`: as the client would get it, compression planned).
   * "answered": the tap answered the client itself; the rest of the upstream's answer is read and
   * dropped, so that its connection is kept. null: nobody wants the rest, the request is cut.
   */
  head(status: number, raw: readonly Buffer[], clientHeaders: HeaderList): TappedHead | "answered" | null;
  data(chunk: Buffer): void;
  complete(): void;
  /** The request failed for good (or the client left); true when the tap answered the client itself. */
  failed(): boolean;
}
