import { DEFAULT_COMPRESSION_MIN_BYTES, type Compression } from "@/lib/schemas/site-compression";
import type { RuntimeCompression } from "./compression-plan";
import { SUPPORTED_CODINGS } from "./encoder";

/** A site's compression settings as served: off, or the codings both chosen and available here. */
export function compileCompression(settings: Compression): RuntimeCompression | null {
  if (!settings.enabled) return null;
  const chosen = settings.algorithms ?? SUPPORTED_CODINGS;
  // The site's own order is kept: it is the tie-break between codings a client likes equally.
  const codings = chosen.filter((coding) => SUPPORTED_CODINGS.includes(coding));
  if (codings.length === 0) return null;
  return { codings, minBytes: settings.minBytes ?? DEFAULT_COMPRESSION_MIN_BYTES };
}
