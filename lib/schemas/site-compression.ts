import { z } from "zod";

/** The codings a site may offer, in the order the proxy prefers them when a client likes several equally. */
export const COMPRESSION_CODINGS = ["br", "zstd", "gzip"] as const;
export type CompressionCoding = (typeof COMPRESSION_CODINGS)[number];

/** Below this a body gains less than the coding's own overhead and the time it takes (as Traefik's default). */
export const DEFAULT_COMPRESSION_MIN_BYTES = 1024;
const MAX_COMPRESSION_MIN_BYTES = 10 * 1024 * 1024;

/** Compression of the site's answers. `algorithms` left out: every coding the proxy supports. */
export const compressionSchema = z
  .object({
    enabled: z.boolean({ error: "Say whether answers are compressed: true or false" }),
    algorithms: z
      .array(z.enum(COMPRESSION_CODINGS, { error: `Choose from: ${COMPRESSION_CODINGS.join(", ")}` }))
      .min(1, "Choose at least one algorithm, or turn compression off")
      .refine((list) => new Set(list).size === list.length, "List each algorithm once")
      .optional(),
    minBytes: z
      .number({ error: "Give the smallest size to compress in bytes, like 1024" })
      .int("Give a whole number of bytes")
      .min(0, "The size cannot be negative")
      .max(MAX_COMPRESSION_MIN_BYTES, `Use at most ${MAX_COMPRESSION_MIN_BYTES} bytes`)
      .optional(),
  })
  .strict();
export type Compression = z.output<typeof compressionSchema>;

/** New sites compress; sites made before compression existed keep answering as they did (the column's default). */
export const defaultCompression: Compression = { enabled: true };
