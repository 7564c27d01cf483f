import { z } from "zod";

const MAX_PURGE_TEXT = 2048;

/**
 * What to remove from a site's cache. `url`: one answer, as an absolute URL (that hostname only)
 * or a path with its query ("/a.css?v=2", every hostname of the site). `prefix`: every answer
 * whose path starts with it ("/static/"). Neither: everything the site's cache holds.
 */
export const cachePurgeSchema = z
  .object({
    prefix: z
      .string({ error: "Give the path prefix as text, like /static/" })
      .max(MAX_PURGE_TEXT, `Use at most ${MAX_PURGE_TEXT} characters`)
      .startsWith("/", "Start the prefix with /, like /static/")
      .optional(),
    url: z
      .string({ error: "Give the URL as text, like https://example.com/a.css or /a.css" })
      .max(MAX_PURGE_TEXT, `Use at most ${MAX_PURGE_TEXT} characters`)
      .refine((url) => url.startsWith("/") || /^https?:\/\/[^/?#]+(?:[/?]|$)/i.test(url), "Give a URL starting with http://, https:// or /")
      .optional(),
  })
  .strict()
  .refine((purge) => purge.prefix === undefined || purge.url === undefined, { message: "Send a prefix or a URL, not both", path: ["url"] });
export type CachePurge = z.output<typeof cachePurgeSchema>;

/** A purge as the proxy applies it: one site's, one of three kinds. */
export type CachePurgeScope = { kind: "all" } | { kind: "prefix"; prefix: string } | { kind: "url"; host: string | null; target: string };

export function purgeScope(purge: CachePurge): CachePurgeScope {
  if (purge.prefix !== undefined) return { kind: "prefix", prefix: purge.prefix };
  if (purge.url === undefined) return { kind: "all" };
  if (purge.url.startsWith("/")) return { kind: "url", host: null, target: purge.url };
  const url = new URL(purge.url);
  return { kind: "url", host: url.hostname.toLowerCase(), target: `${url.pathname}${url.search}` };
}
