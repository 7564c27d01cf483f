import type { Worker } from "node:cluster";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { purgeScope, type CachePurge } from "@/lib/schemas/cache-purge";
import type { ProxySnapshot } from "@/lib/schemas/snapshot";
import { FILL_WAIT_MS } from "../cache/answer-cache";
import type { WrittenEntry } from "../cache/cache-coordinator";
import { compileCache } from "../cache/compile-cache";
import { entryPath, readEntryHead, removeEntry, removeSiteEntries } from "../cache/disk-entries";
import { LruBudget } from "../cache/lru-budget";
import { purgeMatches } from "../cache/purge-match";
import type { PrimaryToWorker } from "../ipc";
import type { WorkerPool } from "./worker-pool";

/** A purge waits this long for the workers to say what they dropped from memory. */
const PURGE_ANSWER_MS = 2_000;

interface OnDisk {
  readonly key: string;
  readonly size: number;
  readonly answer: boolean;
}

interface Lease {
  readonly waiting: Array<() => void>;
  readonly timer: NodeJS.Timeout;
}

/**
 * The primary's part in the sites' caches: grants one worker at a time the fetch of a missing
 * answer (the others wait for it), keeps each site's files within its disk budget (least recently
 * written evicted first; the index is rebuilt from the files at start), and purges.
 */
export class CacheAuthority {
  private readonly leases = new Map<string, Lease>();
  private readonly disk = new Map<string, LruBudget<OnDisk>>();
  private budgets = new Map<string, number>();
  private nextPurge = 1;
  private readonly purges = new Map<number, (removed: number) => void>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** The first worker to ask fetches; later askers hear "no" once it is done (or has taken too long), and look again. */
  lease(worker: Worker, id: number, siteId: string, key: string): void {
    const name = `${siteId}\n${key}`;
    const answer = (granted: boolean) => {
      if (worker.isConnected()) worker.send({ type: "cache-lease-answer", id, granted } satisfies PrimaryToWorker);
    };
    const held = this.leases.get(name);
    if (held !== undefined) {
      held.waiting.push(() => answer(false));
      return;
    }
    const timer = setTimeout(() => this.end(name), FILL_WAIT_MS);
    timer.unref();
    this.leases.set(name, { waiting: [], timer });
    answer(true);
  }

  release(siteId: string, key: string, written: readonly WrittenEntry[]): void {
    for (const entry of written) this.siteDisk(siteId)?.set(entry.id, { key: entry.key, size: entry.size, answer: entry.answer });
    this.end(`${siteId}\n${key}`);
  }

  private end(name: string): void {
    const lease = this.leases.get(name);
    if (lease === undefined) return;
    this.leases.delete(name);
    clearTimeout(lease.timer);
    for (const waiter of lease.waiting) waiter();
  }

  /** The budgets of the sites served now; the files of sites gone or no longer caching are removed. */
  apply(snapshot: ProxySnapshot): void {
    const budgets = new Map<string, number>();
    for (const site of snapshot.sites) {
      const cache = compileCache(site.cache);
      if (cache !== null) budgets.set(site.id, cache.diskBytes);
    }
    this.budgets = budgets;
    for (const [siteId, disk] of this.disk) {
      const budget = budgets.get(siteId);
      if (budget === undefined) {
        this.disk.delete(siteId);
        void removeSiteEntries(this.dir, siteId);
      } else disk.resize(budget);
    }
  }

  private siteDisk(siteId: string): LruBudget<OnDisk> | undefined {
    const budget = this.budgets.get(siteId);
    if (budget === undefined) return undefined;
    let disk = this.disk.get(siteId);
    if (disk === undefined) {
      disk = new LruBudget<OnDisk>(budget, (id) => void removeEntry(this.dir, siteId, id));
      this.disk.set(siteId, disk);
    }
    return disk;
  }

  /** Reads what the files from before a restart hold, oldest first, so that they count against the budgets. */
  async load(): Promise<void> {
    const sites = await readdir(this.dir).catch(() => [] as string[]);
    for (const siteId of sites) {
      const files = await readdir(path.join(this.dir, siteId)).catch(() => [] as string[]);
      const found: { id: string; head: { key: string; answer: boolean }; size: number; written: number }[] = [];
      for (const id of files) {
        const file = entryPath(this.dir, siteId, id);
        if (!/^[0-9a-f]+$/.test(id)) {
          // Half-written by a worker that stopped.
          await removeEntry(this.dir, siteId, id);
          continue;
        }
        const [head, stats] = await Promise.all([readEntryHead(file).catch(() => null), stat(file).catch(() => null)]);
        if (head === null || stats === null) await removeEntry(this.dir, siteId, id);
        else found.push({ id, head, size: stats.size, written: stats.mtimeMs });
      }
      // A site not (yet) caching keeps its files until the first snapshot says otherwise.
      const disk = this.disk.get(siteId) ?? new LruBudget<OnDisk>(Number.MAX_SAFE_INTEGER, (id) => void removeEntry(this.dir, siteId, id));
      this.disk.set(siteId, disk);
      for (const entry of found.sort((a, b) => a.written - b.written)) disk.set(entry.id, { ...entry.head, size: entry.size });
    }
    this.logger.info({ sites: this.disk.size }, "cache files indexed");
  }

  /** Removes what the purge names from disk and from every worker's memory; how many answers that was. */
  async purge(siteId: string, purge: CachePurge): Promise<number> {
    const scope = purgeScope(purge);
    const removed: string[] = [];
    let answers = 0;
    this.disk.get(siteId)?.deleteWhere((id, entry) => {
      if (!purgeMatches(scope, entry.key)) return false;
      removed.push(id);
      if (entry.answer) answers += 1;
      return true;
    });
    await Promise.all(removed.map((id) => removeEntry(this.dir, siteId, id)));
    const workers = this.pool.workers.filter((worker) => worker.isConnected());
    const inMemory = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<number>((resolve) => {
            const id = this.nextPurge++;
            const timer = setTimeout(() => this.answerPurge(id, 0), PURGE_ANSWER_MS);
            this.purges.set(id, (count) => {
              clearTimeout(timer);
              resolve(count);
            });
            worker.send({ type: "cache-purge", id, siteId, scope } satisfies PrimaryToWorker);
          }),
      ),
    );
    // Each worker may hold its own copy of an answer that is also on disk: the largest count is the number of answers.
    return Math.max(answers, ...inMemory);
  }

  answerPurge(id: number, removed: number): void {
    this.purges.get(id)?.(removed);
    this.purges.delete(id);
  }
}
