import { z } from "zod";

/** A site's share of memory and disk when the cache is turned on without saying how much. */
export const DEFAULT_CACHE_MEMORY_MB = 64;
export const DEFAULT_CACHE_DISK_MB = 1024;
const MAX_CACHE_MEMORY_MB = 16 * 1024;
const MAX_CACHE_DISK_MB = 1024 * 1024;
/** A year: RFC 9111 §1.2.2's advice for the longest freshness worth stating. */
const MAX_DEFAULT_TTL_SECONDS = 365 * 24 * 60 * 60;

const megabytes = (what: string, max: number) =>
  z
    .number({ error: `Give the ${what} budget in MB, like 64` })
    .int("Give a whole number of MB")
    .min(0, "The budget cannot be negative")
    .max(max, `Use at most ${max} MB`);

/**
 * The shared cache in front of the site's upstreams. `defaultTtlSeconds` is how long an answer
 * that says nothing about its freshness stays fresh (null or left out: only what the upstream
 * says counts); `cacheHeader` adds X-Cache (HIT, MISS, STALE) to every answer the cache touched.
 */
export const cacheSchema = z
  .object({
    enabled: z.boolean({ error: "Say whether answers are cached: true or false" }),
    maxMemoryMb: megabytes("memory", MAX_CACHE_MEMORY_MB).optional(),
    maxDiskMb: megabytes("disk", MAX_CACHE_DISK_MB).optional(),
    defaultTtlSeconds: z
      .number({ error: "Give the default freshness in seconds, like 300, or null for none" })
      .int("Give a whole number of seconds")
      .min(1, "Give at least 1 second, or null for none")
      .max(MAX_DEFAULT_TTL_SECONDS, `Use at most ${MAX_DEFAULT_TTL_SECONDS} seconds (a year)`)
      .nullable()
      .optional(),
    cacheHeader: z.boolean({ error: "Say whether answers carry X-Cache: true or false" }).optional(),
  })
  .strict();
export type Cache = z.output<typeof cacheSchema>;

/** Off until someone turns it on: a cache changes what visitors see, so it is never a surprise. */
export const defaultCache: Cache = { enabled: false };
