/**
 * Entries by key within a byte budget, least recently used evicted first. A Map keeps insertion
 * order, so touching an entry is deleting and setting it again: no linked list to keep.
 */
export class LruBudget<V extends { readonly size: number }> {
  private readonly entries = new Map<string, V>();
  private used = 0;

  /** `onEvict` hears of each entry pushed out to make room (not of one replaced or deleted). */
  constructor(
    private budget: number,
    private readonly onEvict: (key: string, value: V) => void = () => {},
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores the entry unless it alone is larger than the whole budget; false then. */
  set(key: string, value: V): boolean {
    this.delete(key);
    if (value.size > this.budget) return false;
    this.entries.set(key, value);
    this.used += value.size;
    this.evictBeyond(this.budget);
    return true;
  }

  delete(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.used -= value.size;
    return value;
  }

  /** Removes every entry that passes the test; returns how many. */
  deleteWhere(test: (key: string, value: V) => boolean): number {
    let removed = 0;
    for (const [key, value] of [...this.entries]) {
      if (test(key, value)) {
        this.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  /** A smaller budget evicts at once. */
  resize(budget: number): void {
    this.budget = budget;
    this.evictBeyond(budget);
  }

  get bytes(): number {
    return this.used;
  }

  get count(): number {
    return this.entries.size;
  }

  private evictBeyond(budget: number): void {
    for (const [key, value] of this.entries) {
      if (this.used <= budget) return;
      this.entries.delete(key);
      this.used -= value.size;
      this.onEvict(key, value);
    }
  }
}
