/** An entry written to disk, as the one who keeps the disk budget learns of it. */
export interface WrittenEntry {
  readonly id: string;
  readonly key: string;
  readonly size: number;
  /** false for a key's vary marker: a purge counts answers. */
  readonly answer: boolean;
}

/**
 * What a worker's cache agrees with the other workers' through the primary: which one fetches a
 * missing answer (so that a crowd asking at once costs the upstream one request), and what was
 * written to disk (the primary keeps each site's disk budget).
 */
export interface CacheCoordinator {
  /** true: this worker fetches the key for everyone; false: another did meanwhile, look again. */
  lease(siteId: string, key: string): Promise<boolean>;
  /** The fetch under a lease is over; `written`: what it put on disk. */
  release(siteId: string, key: string, written: readonly WrittenEntry[]): void;
}

/** A worker on its own (tests, tools): every lease is granted, and nobody keeps a disk budget. */
export const soleCoordinator: CacheCoordinator = {
  lease: () => Promise.resolve(true),
  release: () => undefined,
};
