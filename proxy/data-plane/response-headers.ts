import type { HeaderEdits } from "../security/header-plan";
import { HeaderListBuilder, type HeaderList } from "./header-list";

/** Upstream software and versions are the attacker's shopping list: never pass them on. */
const REVEALING: ReadonlySet<string> = new Set(["server", "x-powered-by"]);
/** Node frames the response to the client itself. */
const NOT_FROM_UPSTREAM: ReadonlySet<string> = new Set([...REVEALING, "transfer-encoding"]);

export interface ResponseHeaderOptions {
  /** The site's security and custom headers for this scheme (HSTS included over HTTPS). */
  edits: HeaderEdits;
  /** Whether the client connection stays open after this response; null for HTTP/2, which has no Connection header. */
  keepAlive: boolean | null;
}

/** An upstream's raw header list (name, value ...: undici's Buffers or Node's rawHeaders) for the client. */
export function clientResponseHeaders(raw: ReadonlyArray<Buffer | string>, options: ResponseHeaderOptions): HeaderList {
  const connection = connectionHeader(raw);
  const headers = new HeaderListBuilder(connection, NOT_FROM_UPSTREAM, options.edits);
  for (let index = 0; index + 1 < raw.length; index += 2) {
    headers.add(raw[index]!.toString("latin1").toLowerCase(), raw[index + 1]!.toString("latin1"));
  }
  // Our own hop: say what Node will actually do with the client connection (the upstream's own
  // word would announce keep-alive even when the client asked to close or we are draining).
  if (options.keepAlive === null) return headers.finish();
  return headers.finish("connection", options.keepAlive ? "keep-alive" : "close");
}

/** For the 101 answer to a websocket upgrade: Upgrade and Connection are the point of it, keep them. */
export function clientUpgradeHeaders(raw: readonly string[]): HeaderList {
  const headers: HeaderList = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    if (!REVEALING.has(name)) headers.push(name, raw[index + 1]!);
  }
  return headers;
}

/** The Connection header's values, if any: only then is a second look at the names needed. */
function connectionHeader(raw: ReadonlyArray<Buffer | string>): string[] | undefined {
  let values: string[] | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.length === 10 && name.toString("latin1").toLowerCase() === "connection") (values ??= []).push(raw[index + 1]!.toString("latin1"));
  }
  return values;
}
