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

type ZstdZlib = typeof zlib & { createZstdCompress?: (options?: object) => Transform };

/** The codings this Node can produce (zstd came with Node 22.15), in the order of preference. */
export const SUPPORTED_CODINGS: readonly CompressionCoding[] = COMPRESSION_CODINGS.filter(
  (coding) => coding !== "zstd" || typeof (zlib as ZstdZlib).createZstdCompress === "function",
);

/** A streaming encoder for one answer; `length`, when known, lets brotli size its window to the body. */
export function createEncoder(coding: CompressionCoding, length: number | undefined): Transform {
  switch (coding) {
    case "br":
      return zlib.createBrotliCompress({
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          ...(length === undefined ? {} : { [zlib.constants.BROTLI_PARAM_SIZE_HINT]: length }),
        },
      });
    case "gzip":
      return zlib.createGzip({ level: GZIP_LEVEL });
    case "zstd":
      return (zlib as ZstdZlib).createZstdCompress!();
  }
}
