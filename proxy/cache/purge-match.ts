import type { CachePurgeScope } from "@/lib/schemas/cache-purge";

/** Whether a purge takes the answers kept under this key (scheme, host and target, cache-key.ts): over either scheme. */
export function purgeMatches(scope: CachePurgeScope, key: string): boolean {
  if (scope.kind === "all") return true;
  const hostStart = key.indexOf("://") + 3;
  const slash = key.indexOf("/", hostStart);
  if (hostStart < 3 || slash === -1) return false;
  const target = key.slice(slash);
  if (scope.kind === "prefix") return target.startsWith(scope.prefix);
  return target === scope.target && (scope.host === null || key.slice(hostStart, slash) === scope.host);
}
