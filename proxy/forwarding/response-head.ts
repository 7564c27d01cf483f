import type { HeaderList } from "../data-plane/header-list";

type Headers = Record<string, string | string[]>;

/**
 * An upstream's header list (name, value, name, value ...) as an object for writeHead: repeated
 * names (Set-Cookie) become arrays, so each still goes out as a line of its own. Values are taken
 * byte for byte (latin1), as Node would.
 */
export function headersFromRaw(raw: ReadonlyArray<Buffer | string>): Headers {
  const headers: Headers = Object.create(null) as Headers;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toString("latin1").toLowerCase();
    const value = raw[index + 1]!.toString("latin1");
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers;
}

/** A response head written raw on a socket that has left Node's HTTP handling (an upgrade). */
export function rawResponseHead(status: number, reason: string, headers: HeaderList): string {
  let head = `HTTP/1.1 ${status} ${reason}\r\n`;
  for (let index = 0; index + 1 < headers.length; index += 2) head += `${headers[index]}: ${headers[index + 1]}\r\n`;
  return `${head}\r\n`;
}
