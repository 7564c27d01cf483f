import { DEFAULT_CACHE_DISK_MB, DEFAULT_CACHE_MEMORY_MB, type Cache } from "@/lib/schemas/site-cache";

const MB = 1024 * 1024;

/** A site's cache as the proxy applies it: its budgets in bytes (the site's, over all workers). */
export interface RuntimeCache {
  readonly memoryBytes: number;
  readonly diskBytes: number;
  readonly defaultTtlSeconds: number | null;
  /** Whether answers carry X-Cache. */
  readonly cacheHeader: boolean;
}

/** Off, or on with every setting filled in; a budget of 0 MB keeps nothing in that place. */
export function compileCache(settings: Cache): RuntimeCache | null {
  if (!settings.enabled) return null;
  return {
    memoryBytes: (settings.maxMemoryMb ?? DEFAULT_CACHE_MEMORY_MB) * MB,
    diskBytes: (settings.maxDiskMb ?? DEFAULT_CACHE_DISK_MB) * MB,
    defaultTtlSeconds: settings.defaultTtlSeconds ?? null,
    cacheHeader: settings.cacheHeader ?? true,
  };
}
