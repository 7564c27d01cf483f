import type { CompressionCoding as Coding } from "@/lib/schemas/site-compression";

/** RFC 9110 §12.4.2: "q=" then 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The coding to answer with, or null for the body as it is (RFC 9110 §12.5.3): the offered coding
 * the client rates highest, ties going to the earlier in `offered`. No header at all means the
 * client said nothing about codings: it gets the body as it is, as every browser sends the header.
 * `*` rates every coding the header does not name; `q=0` refuses one; `x-gzip` is gzip. An entry
 * that cannot be read is skipped, never guessed at.
 */
export function chooseCoding(acceptEncoding: string | undefined, offered: readonly Coding[]): Coding | null {
  if (acceptEncoding === undefined || offered.length === 0) return null;
  const ratings = new Map<string, number>();
  for (const entry of acceptEncoding.split(",")) {
    const [rawName, ...params] = entry.split(";");
    let name = rawName!.trim().toLowerCase();
    if (name === "") continue;
    if (name === "x-gzip") name = "gzip";
    const q = qualityOf(params);
    // Of two entries for one coding the lower wins: a client that refuses a coding anywhere means it.
    if (q !== null) ratings.set(name, Math.min(q, ratings.get(name) ?? 1));
  }
  const anyOther = ratings.get("*") ?? 0;
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of offered) {
    const q = ratings.get(coding) ?? anyOther;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** The entry's q, 1 when it gives none, null when it gives one that is not a qvalue. */
function qualityOf(params: readonly string[]): number | null {
  for (const param of params) {
    const [key, value] = param.split("=").map((part) => part.trim());
    if (key?.toLowerCase() !== "q") continue;
    return value !== undefined && QVALUE.test(value) ? Number(value) : null;
  }
  return 1;
}
