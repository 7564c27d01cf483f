import { COMPRESSION_CODINGS, DEFAULT_COMPRESSION_MIN_BYTES, type Compression } from "@/lib/schemas/site-compression";
import { checked, text } from "@/app/_lib/form-state";

/** The words for each coding on the form. */
export const CODING_LABELS = { br: "Brotli", zstd: "Zstandard", gzip: "gzip" } as const;

/** The form's compression fields: the chosen codings as one space-separated value (all of them when none were chosen). */
export function compressionValues(compression: Compression) {
  return {
    "compression.enabled": compression.enabled,
    "compression.algorithms": (compression.algorithms ?? COMPRESSION_CODINGS).join(" "),
    "compression.minBytes": String(compression.minBytes ?? DEFAULT_COMPRESSION_MIN_BYTES),
  };
}

/**
 * What the form says about compression. Every coding ticked is stored as "all of them", so a
 * coding the proxy learns later is offered too; an empty or unreadable size is left for the
 * schema to name.
 */
export function readCompressionForm(formData: FormData): { compression: Record<string, unknown> } {
  const algorithms = formData.getAll("compression.algorithms").map(String);
  const size = text(formData, "compression.minBytes").trim();
  return {
    compression: {
      enabled: checked(formData, "compression.enabled"),
      ...(algorithms.length === COMPRESSION_CODINGS.length ? {} : { algorithms }),
      minBytes: /^\d+$/.test(size) ? Number(size) : size === "" ? undefined : Number.NaN,
    },
  };
}
