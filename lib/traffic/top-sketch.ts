/**
 * A bounded heavy-hitters counter: the Space-Saving algorithm (Metwally, Agrawal, El Abbadi 2005),
 * weighted so that sketches and stored tables can be merged into one another.
 *
 * It keeps at most `capacity` keys. A new key arriving when the sketch is full takes the place of
 * a key with the smallest count, and inherits that count as its `error`. What that guarantees,
 * with N the total weight added and k the capacity:
 *  - the counts of all kept keys add up to N exactly;
 *  - a key's true count lies in [count - error, count], and error <= N / k (plus whatever error
 *    the weights added already carried, when they come from another sketch);
 *  - every key whose true count is above N / k is kept;
 *  - while no more than k distinct keys were ever added, every count is exact (error 0).
 *
 * What leaves the sketch (toRecord) is the guaranteed part, count - error: a table of counts that
 * never claims more than happened. Merging such tables (summing, or adding into another sketch)
 * keeps that property, so the numbers the dashboard shows are always "at least this many".
 */
export class TopSketch {
  /** key -> slot; the slots are parallel arrays, so that finding the smallest scans plain numbers. */
  private readonly slotOf = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];
  /**
   * A lower bound of the smallest count (the exact smallest when last computed). Counts only ever
   * grow, so a slot still at `floor` is a smallest one; the search for one resumes at `cursor`.
   * An eviction thus costs a few steps while many keys share the smallest count (a stream of
   * one-off paths), and at most two scans of the slots (64 numbers in a worker) otherwise.
   */
  private floor = 0;
  private cursor = 0;
  private added = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Keys held: never more than the capacity. */
  get size(): number {
    return this.keys.length;
  }

  /** Total weight added (equals the sum of the counts held). */
  get total(): number {
    return this.added;
  }

  /**
   * Counts `weight` occurrences of `key`. `error` is how much of `weight` may be overcounting
   * already (when the weight comes from another sketch). Hot path: one map lookup, no allocation
   * while the key is held.
   */
  add(key: string, weight = 1, error = 0): void {
    if (!(weight > 0)) return;
    this.added += weight;
    const slot = this.slotOf.get(key);
    if (slot !== undefined) {
      this.counts[slot]! += weight;
      this.errors[slot]! += error;
      return;
    }
    if (this.keys.length < this.capacity) {
      this.slotOf.set(key, this.keys.length);
      this.keys.push(key);
      this.counts.push(weight);
      this.errors.push(error);
      return;
    }
    const victim = this.smallestSlot();
    const smallest = this.counts[victim]!;
    this.slotOf.delete(this.keys[victim]!);
    this.slotOf.set(key, victim);
    this.keys[victim] = key;
    this.counts[victim] = smallest + weight;
    this.errors[victim] = smallest + error;
  }

  /** Adds every key of another sketch, errors included (heaviest first, so light keys are the ones evicted). */
  merge(other: TopSketch): void {
    for (const entry of other.entries()) this.add(entry.key, entry.count, entry.error);
  }

  /** Adds a table of counts (key -> count), as produced by toRecord(). */
  addRecord(record: Readonly<Record<string, number>>): void {
    for (const [key, count] of Object.entries(record)) {
      if (typeof count === "number" && Number.isFinite(count)) this.add(key, count);
    }
  }

  /** Every key held with its count and error, largest count first. */
  entries(): { key: string; count: number; error: number }[] {
    return this.keys
      .map((key, slot) => ({ key, count: this.counts[slot]!, error: this.errors[slot]! }))
      .sort((a, b) => b.count - a.count || compareKeys(a.key, b.key));
  }

  /**
   * The guaranteed counts (count - error) that are above zero, largest first, at most `limit` of
   * them, as a plain object (JSON- and IPC-friendly). Built with Object.fromEntries so that any
   * key, "__proto__" included, is an own property.
   */
  toRecord(limit = this.capacity): Record<string, number> {
    const kept: [string, number][] = [];
    for (let slot = 0; slot < this.keys.length; slot++) {
      const sure = this.counts[slot]! - this.errors[slot]!;
      if (sure > 0) kept.push([this.keys[slot]!, sure]);
    }
    return Object.fromEntries(largest(kept, limit));
  }

  private smallestSlot(): number {
    const length = this.counts.length;
    for (let pass = 0; pass < 2; pass++) {
      for (let step = 0; step < length; step++) {
        const slot = this.cursor + step < length ? this.cursor + step : this.cursor + step - length;
        if (this.counts[slot]! <= this.floor) {
          this.cursor = slot + 1 < length ? slot + 1 : 0;
          return slot;
        }
      }
      // None left at the old floor: the smallest count has grown. Find it (then the scan succeeds).
      let smallest = Infinity;
      for (let slot = 0; slot < length; slot++) smallest = Math.min(smallest, this.counts[slot]!);
      this.floor = smallest;
    }
    throw new Error("unreachable: a full sketch always has a smallest slot");
  }
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The `limit` largest (key, count) pairs, largest first; ties go by key, so that every trim of the
 * same counts keeps the same keys.
 */
export function largest(pairs: Iterable<readonly [string, number]>, limit: number): [string, number][] {
  const sorted = Array.from(pairs, ([key, count]): [string, number] => [key, count]).sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]));
  return sorted.length > limit ? sorted.slice(0, Math.max(0, limit)) : sorted;
}

/** One count of a top-N list, as services and the API return it. */
export interface TopEntry {
  key: string;
  count: number;
}
