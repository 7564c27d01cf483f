/**
 * The most recent `capacity` items, oldest overwritten first. Storage grows with use up to
 * `capacity` and never beyond it, so a quiet site costs little and a busy one a fixed amount.
 */
export class BoundedRing<T> {
  private readonly items: T[] = [];
  /** Once full: the slot of the oldest item, which the next push overwrites. */
  private oldest = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.oldest] = item;
    this.oldest = (this.oldest + 1) % this.capacity;
  }

  /** Newest first, without copying. */
  *newestFirst(): IterableIterator<T> {
    const count = this.items.length;
    // The newest sits just before the oldest (or at the end while not yet full).
    for (let step = 1; step <= count; step++) yield this.items[(this.oldest - step + count) % count]!;
  }

  /** Oldest first, as a new array. */
  toArray(): T[] {
    return [...this.items.slice(this.oldest), ...this.items.slice(0, this.oldest)];
  }
}
