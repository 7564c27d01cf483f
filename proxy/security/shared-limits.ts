import type { LimitAnswer, LimitAsk, LimitRelease, WorkerToPrimary } from "../ipc";
import { DEFAULT_MAX_CLIENTS, type RateDecision, type RateLimitPolicy } from "./request-rate-limiter";
import type { ConnectionLimiting, LimiterFactory, RateLimiting } from "./site-protection";

type LimitsMessage = Extract<WorkerToPrimary, { type: "limits" }>;
type Question = { key: string; client: string } & ({ rate: RateLimitPolicy } | { maxPerClient: number });

const ALLOWED: RateDecision = { allowed: true };

export interface SharedLimitsChannel {
  send(message: LimitsMessage): void;
  /** False once the primary is gone: nobody would answer. */
  connected(): boolean;
}

/**
 * A worker's side of the limits all workers share. Connections from one address spread over every
 * worker, so no worker alone sees all of an address's requests: the primary holds the one counter
 * per site and address (limit-authority.ts) and decides. Questions asked in one event-loop turn go
 * in one message; the answers come back in one. Only sites with limits ask anything.
 */
export class SharedLimits implements LimiterFactory {
  private nextId = 1;
  private readonly waiting = new Map<number, (refusedForMs: number) => void>();
  private asks: LimitAsk[] = [];
  private releases = new Map<string, LimitRelease>();
  private flushScheduled = false;

  constructor(private readonly channel: SharedLimitsChannel) {}

  rateLimiter(key: string, policy: RateLimitPolicy): RateLimiting {
    return new SharedRateLimiter(this, key, policy);
  }

  connectionLimiter(key: string, maxPerClient: number): ConnectionLimiting {
    return new SharedConnectionLimiter(this, key, maxPerClient);
  }

  /** Resolves with 0 when granted, or the ms until the client may try again. */
  ask(question: Question): Promise<number> {
    // Without a primary the worker is stopping: let the last requests through rather than hang them.
    if (!this.channel.connected()) return Promise.resolve(0);
    const id = this.nextId++;
    this.asks.push({ id, ...question } as LimitAsk);
    this.scheduleFlush();
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  release(key: string, client: string): void {
    const slot = `${key}\n${client}`;
    const pending = this.releases.get(slot);
    if (pending !== undefined) pending.count += 1;
    else this.releases.set(slot, { key, client, count: 1 });
    this.scheduleFlush();
  }

  answer(answers: LimitAnswer[]): void {
    for (const [id, refusedForMs] of answers) {
      const resolve = this.waiting.get(id);
      this.waiting.delete(id);
      resolve?.(refusedForMs);
    }
  }

  /** The primary went away: whatever still waits is let through (see ask). */
  abandon(): void {
    for (const resolve of this.waiting.values()) resolve(0);
    this.waiting.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const message: LimitsMessage = { type: "limits", asks: this.asks, releases: [...this.releases.values()] };
    this.asks = [];
    this.releases = new Map();
    if (this.channel.connected()) this.channel.send(message);
    else this.abandon();
  }
}

/**
 * A site's rate limit, decided by the primary. A refusal carries the exact time until the next
 * token, so until then this worker refuses the address by itself: a flood costs the primary one
 * question per address and token, not one per request.
 */
class SharedRateLimiter implements RateLimiting {
  /** performance.now() until which an address is refused; bounded like the buckets. */
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly shared: SharedLimits,
    private readonly key: string,
    readonly policy: RateLimitPolicy,
  ) {}

  take(client: string): RateDecision | Promise<RateDecision> {
    const until = this.refusedUntil.get(client);
    if (until !== undefined) {
      const left = until - performance.now();
      if (left > 0) return refusal(left);
      this.refusedUntil.delete(client);
    }
    return this.shared.ask({ key: this.key, client, rate: this.policy }).then((refusedForMs) => {
      if (refusedForMs <= 0) return ALLOWED;
      if (this.refusedUntil.size >= DEFAULT_MAX_CLIENTS) this.refusedUntil.delete(this.refusedUntil.keys().next().value!);
      this.refusedUntil.set(client, performance.now() + refusedForMs);
      return refusal(refusedForMs);
    });
  }
}

function refusal(retryAfterMs: number): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), retryAfterMs };
}

/** A site's cap on requests in progress per address, counted by the primary over all workers. */
class SharedConnectionLimiter implements ConnectionLimiting {
  constructor(
    private readonly shared: SharedLimits,
    private readonly key: string,
    readonly maxPerClient: number,
  ) {}

  acquire(client: string): Promise<boolean> {
    return this.shared.ask({ key: this.key, client, maxPerClient: this.maxPerClient }).then((refusedForMs) => refusedForMs === 0);
  }

  release(client: string): void {
    this.shared.release(this.key, client);
  }
}
