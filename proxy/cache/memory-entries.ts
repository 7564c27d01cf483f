import type { CachePurgeScope } from "@/lib/schemas/cache-purge";
import { LruBudget } from "./lru-budget";
import { purgeMatches } from "./purge-match";
import { entrySize, type StoredEntry } from "./stored-answer";

interface Held {
  readonly entry: StoredEntry;
  readonly size: number;
}

/**
 * A worker's entries in memory, per site, each site within its share of the site's memory budget
 * (the budget is the site's over all workers), least recently used evicted first.
 */
export class MemoryEntries {
  private readonly sites = new Map<string, LruBudget<Held>>();

  /** `share`: this worker's part of each site's memory budget (1 / the number of workers). */
  constructor(private readonly share: number) {}

  get(siteId: string, id: string): StoredEntry | undefined {
    return this.sites.get(siteId)?.get(id)?.entry;
  }

  /** Kept, or replaced; its size is measured again, so call it again after an answer gained a coded copy. */
  set(siteId: string, memoryBytes: number, id: string, entry: StoredEntry): void {
    const budget = Math.floor(memoryBytes * this.share);
    let site = this.sites.get(siteId);
    if (site === undefined) this.sites.set(siteId, (site = new LruBudget(budget)));
    else site.resize(budget);
    site.set(id, { entry, size: entrySize(entry) });
  }

  delete(siteId: string, id: string): void {
    this.sites.get(siteId)?.delete(id);
  }

  purge(siteId: string, scope: CachePurgeScope): number {
    const site = this.sites.get(siteId);
    if (site === undefined) return 0;
    return site.deleteWhere((_id, held) => held.entry.kind === "answer" && purgeMatches(scope, held.entry.key));
  }

  /** Sites that are gone or no longer cache give their memory back. */
  retain(siteIds: ReadonlySet<string>): void {
    for (const siteId of this.sites.keys()) if (!siteIds.has(siteId)) this.sites.delete(siteId);
  }
}
