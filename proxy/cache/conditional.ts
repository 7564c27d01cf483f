import type { IncomingHttpHeaders } from "node:http";
import type { HeaderList } from "../data-plane/header-list";

/** The request headers that make a GET conditional (or partial): the cache asks the upstream its own way. */
const CONDITIONAL: ReadonlySet<string> = new Set(["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range"]);

/**
 * The upstream request's headers without the client's conditionals, and with the stored answer's
 * validators when it is being revalidated: the cache needs a whole answer (or a 304 about what it
 * holds), never a 304 about what the client holds.
 */
export function withValidators(headers: HeaderList, validators: { etag: string | null; lastModified: string | null } | null): HeaderList {
  const sent: HeaderList = [];
  for (let index = 0; index + 1 < headers.length; index += 2) {
    if (!CONDITIONAL.has(headers[index]!)) sent.push(headers[index]!, headers[index + 1]!);
  }
  if (validators?.etag) sent.push("if-none-match", validators.etag);
  if (validators?.lastModified) sent.push("if-modified-since", validators.lastModified);
  return sent;
}

/**
 * Whether an answer with these validators is "not modified" for the client's conditional GET or
 * HEAD (RFC 9110 §13.1.2 and §13.1.3): If-None-Match by weak comparison, and only without it,
 * If-Modified-Since against Last-Modified.
 */
export function notModifiedFor(request: IncomingHttpHeaders, etag: string | null, lastModified: string | null): boolean {
  const ifNoneMatch = request["if-none-match"];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() === "*") return true;
    if (etag === null) return false;
    const opaque = withoutWeakness(etag);
    return entityTags(ifNoneMatch).some((tag) => withoutWeakness(tag) === opaque);
  }
  const ifModifiedSince = request["if-modified-since"];
  if (ifModifiedSince === undefined || lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(lastModified);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

function withoutWeakness(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith("W/") ? trimmed.slice(2) : trimmed;
}

/** An If-None-Match list: quoted tags may hold commas. */
function entityTags(value: string): string[] {
  return value.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/** A 304's headers: the answer's, less those that describe a body it does not carry. */
export function notModifiedHeaders(headers: HeaderList): HeaderList {
  const kept: HeaderList = [];
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const name = headers[index]!;
    if (name !== "content-length" && name !== "transfer-encoding") kept.push(name, headers[index + 1]!);
  }
  return kept;
}
