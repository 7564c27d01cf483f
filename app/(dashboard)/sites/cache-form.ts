import { DEFAULT_CACHE_DISK_MB, DEFAULT_CACHE_MEMORY_MB, type Cache } from "@/lib/schemas/site-cache";
import { checked, text } from "@/app/_lib/form-state";

/** The form's cache fields; an empty default freshness means "only what the upstream says". */
export function cacheValues(cache: Cache) {
  return {
    "cache.enabled": cache.enabled,
    "cache.maxMemoryMb": String(cache.maxMemoryMb ?? DEFAULT_CACHE_MEMORY_MB),
    "cache.maxDiskMb": String(cache.maxDiskMb ?? DEFAULT_CACHE_DISK_MB),
    "cache.defaultTtlSeconds": cache.defaultTtlSeconds == null ? "" : String(cache.defaultTtlSeconds),
    "cache.cacheHeader": cache.cacheHeader ?? true,
  };
}

/** What the form says about the cache; a number that is not one is left for the schema to name. */
export function readCacheForm(formData: FormData): { cache: Record<string, unknown> } {
  const whole = (name: string, empty: number | null | undefined) => {
    const value = text(formData, name).trim();
    return /^\d+$/.test(value) ? Number(value) : value === "" ? empty : Number.NaN;
  };
  return {
    cache: {
      enabled: checked(formData, "cache.enabled"),
      maxMemoryMb: whole("cache.maxMemoryMb", undefined),
      maxDiskMb: whole("cache.maxDiskMb", undefined),
      defaultTtlSeconds: whole("cache.defaultTtlSeconds", null),
      cacheHeader: checked(formData, "cache.cacheHeader"),
    },
  };
}
