import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "pino";
import type { CachePurgeScope } from "@/lib/schemas/cache-purge";
import type { RuntimeSite } from "../runtime/runtime-types";
import type { CacheCoordinator, WrittenEntry } from "./cache-coordinator";
import { variantKey } from "./cache-key";
import { readEntry, removeEntry, writeEntry } from "./disk-entries";
import { MemoryEntries } from "./memory-entries";
import { entryId, type StoredAnswer, type StoredEntry, type VaryMarker } from "./stored-answer";

/** How long requests wait for another's fetch of the same answer before they ask the upstream themselves (as nginx's proxy_cache_lock_timeout). */
export const FILL_WAIT_MS = 5_000;

/**
 * How long a key whose answer could not be kept goes straight to the upstream: no file looked
 * for, no waiting on another request's fetch. An API behind a cached site costs nothing extra.
 */
export const REFUSED_MEMO_MS = 10_000;
/** Keys remembered as not kept, at most: the oldest are forgotten first. */
const MAX_REFUSED_KEYS = 10_000;

export interface AnswerCacheOptions {
  /** The cache directory (DATA_DIR/cache); null keeps answers in memory only. */
  dir: string | null;
  /** This worker's part of each site's memory budget. */
  memoryShare: number;
  coordinator: CacheCoordinator;
  logger: Logger;
}

/** A fetch this worker runs for every request that wants the same answer; release it however the fetch ends. */
export interface FillLease {
  /** `written`: the answer's disk write, when it was kept; waiters look again once it is done. */
  release(written: Promise<WrittenEntry[]> | null): void;
}

type Found = StoredAnswer | null;

/**
 * A worker's view of the sites' caches: answers in memory (its share of each site's budget) and on
 * disk (shared by all workers, kept within budget by the primary), found by key and variant.
 */
export class AnswerCache {
  private readonly memory: MemoryEntries;
  /** Keys this worker is fetching, by site and key: the requests that arrive meanwhile wait on them. */
  private readonly filling = new Map<string, Promise<void>>();
  /** Keys being revalidated in the background (stale-while-revalidate): one request each. */
  private readonly revalidating = new Set<string>();
  /** Keys whose last answer could not be kept, by site and key: until when they skip the cache. */
  private readonly refused = new Map<string, number>();
  /** Purges per site so far: a file whose write a purge overtook is removed again. */
  private readonly purges = new Map<string, number>();

  constructor(private readonly options: AnswerCacheOptions) {
    this.memory = new MemoryEntries(options.memoryShare);
  }

  /** The stored answer for this request, if any; synchronous when memory has it. */
  lookup(site: RuntimeSite, key: string, headers: IncomingHttpHeaders): Found | Promise<Found> {
    const first = this.entry(site, entryId(key, ""));
    return first instanceof Promise ? first.then((entry) => this.answerIn(site, key, entry, headers)) : this.answerIn(site, key, first, headers);
  }

  private answerIn(site: RuntimeSite, key: string, entry: StoredEntry | null, headers: IncomingHttpHeaders): Found | Promise<Found> {
    if (entry === null || entry.kind === "answer") return entry;
    const found = this.entry(site, entryId(key, variantKey(entry.names, headers, site.compression?.codings ?? [])));
    const answerOnly = (variant: StoredEntry | null): Found => (variant?.kind === "answer" ? variant : null);
    return found instanceof Promise ? found.then(answerOnly) : answerOnly(found);
  }

  private entry(site: RuntimeSite, id: string): StoredEntry | null | Promise<StoredEntry | null> {
    const held = this.memory.get(site.id, id);
    if (held !== undefined) return held;
    const { dir } = this.options;
    if (dir === null || site.cache!.diskBytes === 0) return null;
    return readEntry(dir, site.id, id).then(
      (entry) => {
        if (entry !== null) this.memory.set(site.id, site.cache!.memoryBytes, id, entry);
        return entry;
      },
      (error: unknown) => {
        this.options.logger.warn({ err: error, site: site.id }, "could not read a cached answer; asking the upstream");
        return null;
      },
    );
  }

  /** The upstream's answer for this key could not be kept. */
  refuse(siteId: string, key: string): void {
    const name = `${siteId}\n${key}`;
    this.refused.delete(name);
    this.refused.set(name, Date.now() + REFUSED_MEMO_MS);
    if (this.refused.size > MAX_REFUSED_KEYS) this.refused.delete(this.refused.keys().next().value!);
  }

  refusedRecently(siteId: string, key: string): boolean {
    const name = `${siteId}\n${key}`;
    const until = this.refused.get(name);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.refused.delete(name);
    return false;
  }

  /** Keeps an answer in memory and on disk; resolves with what was written to disk. */
  async store(site: RuntimeSite, answer: StoredAnswer, varyNames: readonly string[]): Promise<WrittenEntry[]> {
    const cache = site.cache!;
    this.refused.delete(`${site.id}\n${answer.key}`);
    const entries: [string, StoredEntry][] = [[entryId(answer.key, answer.variant), answer]];
    if (varyNames.length > 0) entries.push([entryId(answer.key, ""), { kind: "vary", key: answer.key, names: varyNames } satisfies VaryMarker]);
    for (const [id, entry] of entries) this.memory.set(site.id, cache.memoryBytes, id, entry);
    const { dir } = this.options;
    if (dir === null || answer.body.length > cache.diskBytes) return [];
    try {
      return await Promise.all(
        entries.map(async ([id, entry]) => ({
          id,
          key: answer.key,
          answer: entry.kind === "answer",
          size: await writeEntry(dir, site.id, id, entry),
        })),
      );
    } catch (error) {
      this.options.logger.warn({ err: error, site: site.id }, "could not write a cached answer to disk; it stays in memory");
      return [];
    }
  }

  /** An answer gained a coded copy: its size is counted again. */
  kept(site: RuntimeSite, answer: StoredAnswer): void {
    this.memory.set(site.id, site.cache!.memoryBytes, entryId(answer.key, answer.variant), answer);
  }

  forget(siteId: string, answer: StoredAnswer): void {
    this.memory.delete(siteId, entryId(answer.key, answer.variant));
  }

  /**
   * The fetch of a missing (or stale) answer for all requests that want it: a lease when this
   * request is the one to fetch it, or null once another request's fetch is over (look again).
   */
  async lease(siteId: string, key: string): Promise<FillLease | null> {
    const local = `${siteId}\n${key}`;
    const running = this.filling.get(local);
    if (running !== undefined) {
      await withTimeout(running, FILL_WAIT_MS);
      return null;
    }
    let done!: () => void;
    this.filling.set(local, new Promise<void>((resolve) => (done = resolve)));
    const finish = () => {
      this.filling.delete(local);
      done();
    };
    const granted = await withTimeout(this.options.coordinator.lease(siteId, key), FILL_WAIT_MS);
    if (granted !== true) {
      finish();
      return null;
    }
    let released = false;
    return {
      release: (written) => {
        if (released) return;
        released = true;
        void (written ?? Promise.resolve([])).then((entries) => {
          this.options.coordinator.release(siteId, key, entries);
          finish();
        });
      },
    };
  }

  /** Files written by a fetch that held no lease still count against the site's disk budget. */
  reportWritten(siteId: string, key: string, written: Promise<WrittenEntry[]>): void {
    void written.then((entries) => {
      if (entries.length > 0) this.options.coordinator.release(siteId, key, entries);
    });
  }

  /** Whether this request should revalidate the key in the background (the first to ask does). */
  startRevalidation(siteId: string, key: string): (() => void) | null {
    const local = `${siteId}\n${key}`;
    if (this.revalidating.has(local)) return null;
    this.revalidating.add(local);
    return () => this.revalidating.delete(local);
  }

  purge(siteId: string, scope: CachePurgeScope): number {
    this.purges.set(siteId, (this.purges.get(siteId) ?? 0) + 1);
    return this.memory.purge(siteId, scope);
  }

  /** Sites that are gone, or no longer cache, give their memory back. */
  retain(siteIds: ReadonlySet<string>): void {
    this.memory.retain(siteIds);
  }
}

/** The promise's value, or undefined when it takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
