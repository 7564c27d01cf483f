/** What a site allows each client address (API field `rateLimit`). */
export interface RateLimitPolicy {
  requestsPerSecond: number;
  /** Requests a client may send at once before the per-second rate applies. */
  burst: number;
}

/** `retryAfterMs`: when the next token comes (exact); `retryAfterSeconds` is that rounded up for Retry-After. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; retryAfterMs: number };

interface Bucket {
  tokens: number;
  /** performance.now() of the last refill. */
  at: number;
}

const ALLOWED: RateDecision = { allowed: true };
/** Enough for a busy site; an attacker with more addresses than this only resets its own buckets. */
export const DEFAULT_MAX_CLIENTS = 100_000;

/**
 * A token bucket per client address: `burst` tokens, refilled at `requestsPerSecond`. Memory is
 * bounded by `maxClients` buckets; beyond that the oldest bucket is forgotten, which at worst
 * gives that client a fresh burst. Buckets that have refilled completely are equivalent to no
 * bucket, so they are swept out on the way.
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(
    readonly policy: RateLimitPolicy,
    options: { maxClients?: number; now?: () => number } = {},
  ) {
    this.capacity = Math.max(1, policy.burst);
    this.perMs = policy.requestsPerSecond / 1000;
    this.maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
    this.now = options.now ?? (() => performance.now());
  }

  get clientCount(): number {
    return this.buckets.size;
  }

  take(client: string): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxClients) this.evict(now);
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(client, bucket);
    } else {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ALLOWED;
    }
    const retryAfterMs = (1 - bucket.tokens) / this.perMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), retryAfterMs };
  }

  /** Drops buckets that have refilled (they change nothing); if none has, the oldest one. */
  private evict(now: number): void {
    const fullAfterMs = this.capacity / this.perMs;
    let checked = 0;
    for (const [client, bucket] of this.buckets) {
      if (now - bucket.at >= fullAfterMs) this.buckets.delete(client);
      // Bounded work per insertion: look at the oldest few only.
      if (++checked >= 64) break;
    }
    if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
