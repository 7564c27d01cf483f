import type { CachePurgeScope } from "@/lib/schemas/cache-purge";

/** Whether a purge takes the answers kept under this key (host followed by the target, cache-key.ts). */
export function purgeMatches(scope: CachePurgeScope, key: string): boolean {
  if (scope.kind === "all") return true;
  const slash = key.indexOf("/");
  if (slash === -1) return false;
  const target = key.slice(slash);
  if (scope.kind === "prefix") return target.startsWith(scope.prefix);
  return target === scope.target && (scope.host === null || key.slice(0, slash) === scope.host);
}
