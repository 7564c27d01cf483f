import type { CompressionCoding } from "@/lib/schemas/site-compression";
import type { HeaderList } from "../data-plane/header-list";
import { chooseCoding } from "./accept-encoding";
import { isCompressibleType, mediaTypeOf } from "./compressible-type";

/** A site's compression as the proxy applies it: the codings it offers (those this Node has), and the smallest body it codes. */
export interface RuntimeCompression {
  readonly codings: readonly CompressionCoding[];
  readonly minBytes: number;
}

export interface CompressionDecision {
  /** The answer's headers for the client. */
  readonly headers: HeaderList;
  /** The coding to encode the body with; null: the body goes as it is. */
  readonly coding: CompressionCoding | null;
  /** The body's length before coding, when the upstream said. */
  readonly length: number | undefined;
}

/** Statuses whose answer has no body to code, or a part of one (206) that coding would make meaningless. */
const NO_CODING_STATUSES: ReadonlySet<number> = new Set([204, 206, 304]);

/**
 * Whether and how to code one answer, and its headers for that. An answer that could be coded says
 * `Vary: Accept-Encoding` whichever coding this client gets, so that a cache in between never hands
 * a coded body to a client that cannot read it. Never coded: a body the upstream coded already,
 * one marked `no-transform`, one of a type that does not shrink, and one smaller than the site's
 * minimum. A coded body has no known length, no byte ranges, and a weak validator (RFC 9110 §8.8.1:
 * the bytes differ from the upstream's).
 */
export function planCompression(
  settings: RuntimeCompression,
  acceptEncoding: string | undefined,
  status: number,
  headers: HeaderList,
): CompressionDecision {
  const head = readHead(headers);
  const length = head.contentLength === undefined ? undefined : Number(head.contentLength);
  const codable =
    status >= 200 &&
    !NO_CODING_STATUSES.has(status) &&
    (head.contentEncoding === undefined || head.contentEncoding.toLowerCase() === "identity") &&
    !/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(head.cacheControl ?? "") &&
    head.contentType !== undefined &&
    isCompressibleType(mediaTypeOf(head.contentType)) &&
    !(length !== undefined && length < settings.minBytes);
  if (!codable) return { headers, coding: null, length };

  const coding = chooseCoding(acceptEncoding, settings.codings);
  const varies = head.vary.some((value) => /(?:^|,)\s*(?:\*|accept-encoding)\s*(?:,|$)/i.test(value));
  if (coding === null) return { headers: varies ? headers : [...headers, "vary", "Accept-Encoding"], coding, length };

  const coded: HeaderList = [];
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const name = headers[index]!;
    const value = headers[index + 1]!;
    if (name === "content-length" || name === "accept-ranges" || name === "content-encoding") continue;
    coded.push(name, name === "etag" && !value.startsWith("W/") ? `W/${value}` : value);
  }
  coded.push("content-encoding", coding);
  if (!varies) coded.push("vary", "Accept-Encoding");
  return { headers: coded, coding, length };
}

interface ResponseHead {
  contentType?: string;
  contentEncoding?: string;
  contentLength?: string;
  cacheControl?: string;
  vary: string[];
}

function readHead(headers: HeaderList): ResponseHead {
  const head: ResponseHead = { vary: [] };
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const value = headers[index + 1]!;
    switch (headers[index]) {
      case "content-type":
        head.contentType = value;
        break;
      case "content-encoding":
        head.contentEncoding = head.contentEncoding === undefined ? value : `${head.contentEncoding}, ${value}`;
        break;
      case "content-length":
        head.contentLength = value;
        break;
      case "cache-control":
        head.cacheControl = head.cacheControl === undefined ? value : `${head.cacheControl}, ${value}`;
        break;
      case "vary":
        head.vary.push(value);
        break;
    }
  }
  return head;
}
