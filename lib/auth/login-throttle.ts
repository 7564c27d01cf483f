/**
 * Slows down password guessing: after a few failures for one client address or one email, each
 * further attempt waits longer (doubling, capped), and a burst of failures locks that key for a
 * while. Memory stays bounded however many keys arrive.
 */
const FREE_FAILURES = 3;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const LOCK_AFTER = 20;
const WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 10_000;

interface Entry {
  failures: number;
  first: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How long to wait before checking this attempt, or null when the key is locked out. */
  delayMs(keys: string[]): number | null {
    let worst = 0;
    for (const key of keys) {
      const entry = this.live(key);
      if (!entry) continue;
      if (entry.failures >= LOCK_AFTER) return null;
      worst = Math.max(worst, entry.failures);
    }
    if (worst < FREE_FAILURES) return 0;
    return Math.min(BASE_DELAY_MS * 2 ** (worst - FREE_FAILURES), MAX_DELAY_MS);
  }

  /** Seconds until a locked-out key may try again. */
  retryAfterSeconds(keys: string[]): number {
    const firsts = keys.map((key) => this.live(key)?.first ?? this.now());
    return Math.ceil((Math.min(...firsts) + WINDOW_MS - this.now()) / 1000);
  }

  recordFailure(keys: string[]): void {
    for (const key of keys) {
      const entry = this.live(key) ?? { failures: 0, first: this.now() };
      entry.failures += 1;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    while (this.entries.size > MAX_KEYS) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.first > WINDOW_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

const holder = globalThis as unknown as { __gatekeeperLoginThrottle?: LoginThrottle };
export const loginThrottle = (holder.__gatekeeperLoginThrottle ??= new LoginThrottle());
