import zlib from "node:zlib";
import type { Transform } from "node:stream";
import { COMPRESSION_CODINGS, type CompressionCoding } from "@/lib/schemas/site-compression";

/**
 * Brotli's quality for answers made on the fly: 4 shrinks text nearly as well as the default (11)
 * at a small fraction of its time, which is what a proxy can afford per request.
 */
export const BROTLI_QUALITY = 4;
/** zlib's own default: the usual balance of size and speed for gzip. */
export const GZIP_LEVEL = 6;

/** Brotli's smallest window, and the window for an answer of unknown length (nginx's brotli module uses the same 512 KiB). */
const MIN_WINDOW_BITS = 10;
const UNKNOWN_LENGTH_WINDOW_BITS = 19;
const MAX_WINDOW_BITS = 22;

/**
 * The smallest window that holds the whole body. Brotli's default (4 MiB) is allocated for every
 * encoder, and with dozens of answers coded at once that memory, not the coding, was the cost.
 */
export function brotliWindowBits(length: number | undefined): number {
  if (length === undefined) return UNKNOWN_LENGTH_WINDOW_BITS;
  let bits = MIN_WINDOW_BITS;
  // A window of 2^bits holds 2^bits - 16 bytes of history.
  while (bits < MAX_WINDOW_BITS && (1 << bits) - 16 < length) bits++;
  return bits;
}

type ZstdZlib = typeof zlib & { createZstdCompress?: (options?: object) => Transform };

/** The codings this Node can produce (zstd came with Node 22.15), in the order of preference. */
export const SUPPORTED_CODINGS: readonly CompressionCoding[] = COMPRESSION_CODINGS.filter(
  (coding) => coding !== "zstd" || typeof (zlib as ZstdZlib).createZstdCompress === "function",
);

const brotliOptions = (length: number | undefined): zlib.BrotliOptions => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_LGWIN]: brotliWindowBits(length),
    ...(length === undefined ? {} : { [zlib.constants.BROTLI_PARAM_SIZE_HINT]: length }),
  },
});

/** A streaming encoder for one answer; `length`, when known, lets brotli size its window to the body. */
export function createEncoder(coding: CompressionCoding, length: number | undefined): Transform {
  switch (coding) {
    case "br":
      return zlib.createBrotliCompress(brotliOptions(length));
    case "gzip":
      return zlib.createGzip({ level: GZIP_LEVEL });
    case "zstd":
      return (zlib as ZstdZlib).createZstdCompress!();
  }
}

type ZstdOneShot = typeof zlib & { zstdCompress?: (body: Buffer, callback: (error: Error | null, result: Buffer) => void) => void };

/** A whole body coded at once, off the event loop: for a stored answer, whose coded copy is kept. */
export function encodeWhole(coding: CompressionCoding, body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer) => (error === null ? resolve(result) : reject(error));
    if (coding === "br") zlib.brotliCompress(body, brotliOptions(body.length), done);
    else if (coding === "gzip") zlib.gzip(body, { level: GZIP_LEVEL }, done);
    else (zlib as ZstdOneShot).zstdCompress!(body, done);
  });
}
