import type { WorkerToPrimary } from "../ipc";
import type { CacheCoordinator, WrittenEntry } from "./cache-coordinator";

/** A worker's side of the cache coordination: asks the primary, and hears its answers. */
export class LeasesFromPrimary implements CacheCoordinator {
  private nextId = 1;
  private readonly pending = new Map<number, (granted: boolean) => void>();

  constructor(private readonly send: (message: WorkerToPrimary) => void) {}

  lease(siteId: string, key: string): Promise<boolean> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ type: "cache-lease", id, siteId, key });
    });
  }

  release(siteId: string, key: string, written: readonly WrittenEntry[]): void {
    this.send({ type: "cache-release", siteId, key, written: [...written] });
  }

  answer(id: number, granted: boolean): void {
    this.pending.get(id)?.(granted);
    this.pending.delete(id);
  }

  /** The primary is gone: every fetch is this worker's own from now on. */
  abandon(): void {
    for (const resolve of this.pending.values()) resolve(true);
    this.pending.clear();
  }
}
