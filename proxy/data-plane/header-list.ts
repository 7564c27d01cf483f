import type { HeaderEdits } from "../security/header-plan";

/**
 * Headers as they go on the wire: name, value, name, value ... with lower-case names, a repeated
 * name once per value. Node's writeHead and http.request and undici all take this form, and
 * building one never turns an object into a slow dictionary the way deleting properties does.
 */
export type HeaderList = string[];

/** RFC 9110 7.6.1: headers that describe one connection and must not cross a proxy. */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
]);

/**
 * Never left out because a client (or upstream) listed them in Connection: dropping the framing
 * headers would desynchronise a kept-alive connection (request smuggling), dropping Host would
 * silently re-target the request.
 */
const PROTECTED: ReadonlySet<string> = new Set(["host", "content-length", "transfer-encoding"]);

const NONE: readonly string[] = [];
const NOTHING: ReadonlySet<string> = new Set();

function namesListedInConnection(value: string | string[]): readonly string[] {
  const text = Array.isArray(value) ? value.join(",") : value;
  const names: string[] = [];
  for (const part of text.split(",")) {
    const name = part.trim().toLowerCase();
    if (name.length > 0 && !HOP_BY_HOP.has(name) && !PROTECTED.has(name)) names.push(name);
  }
  return names;
}

function editedAway(edits: HeaderEdits, name: string): boolean {
  if (edits.remove.includes(name)) return true;
  for (const [setName] of edits.set) if (setName === name) return true;
  return false;
}

export function hasHeader(list: HeaderList, name: string): boolean {
  for (let index = 0; index < list.length; index += 2) if (list[index] === name) return true;
  return false;
}

/** The first value of a header, or null. */
export function headerValue(list: readonly string[], name: string): string | null {
  for (let index = 0; index + 1 < list.length; index += 2) if (list[index] === name) return list[index + 1]!;
  return null;
}

/**
 * Builds one direction's header list in one pass, leaving its source untouched: hop-by-hop
 * headers, the headers Connection names, `drop` and the site's removals stay out; then the
 * site's defaults (where absent) and settings go in.
 */
export class HeaderListBuilder {
  private readonly list: HeaderList = [];
  private readonly listed: readonly string[];

  constructor(
    connection: string | string[] | undefined,
    private readonly drop: ReadonlySet<string>,
    private readonly edits: HeaderEdits,
  ) {
    this.listed = connection === undefined ? NONE : namesListedInConnection(connection);
  }

  /** A header of the source. */
  add(name: string, value: string | string[]): void {
    if (HOP_BY_HOP.has(name) || this.drop.has(name) || (this.listed.length > 0 && this.listed.includes(name))) return;
    this.addOwn(name, value);
  }

  /** A header the proxy adds itself, which the site's edits may still remove or replace. */
  addOwn(name: string, value: string | string[]): void {
    if (editedAway(this.edits, name)) return;
    if (typeof value === "string") this.list.push(name, value);
    else for (const each of value) this.list.push(name, each);
  }

  /** The list with the site's edits applied; `after` goes last, past any edit (the proxy's own hop). */
  finish(...after: string[]): HeaderList {
    const list = this.list;
    for (const [name, value] of this.edits.defaults) if (!hasHeader(list, name)) list.push(name, value);
    for (const [name, value] of this.edits.set) list.push(name, value);
    list.push(...after);
    return list;
  }
}

/** The proxy's own answer headers (one value per name) with the site's edits applied, as a new object. */
export function editedHeaders(headers: Readonly<Record<string, string>>, edits: HeaderEdits): Record<string, string> {
  const builder = new HeaderListBuilder(undefined, NOTHING, edits);
  for (const name in headers) builder.addOwn(name, headers[name]!);
  const list = builder.finish();
  const edited: Record<string, string> = {};
  for (let index = 0; index < list.length; index += 2) edited[list[index]!] = list[index + 1]!;
  return edited;
}
