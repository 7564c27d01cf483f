import type { LimitAnswer, LimitAsk, LimitRelease } from "../ipc";
import { ConnectionLimiter } from "../security/connection-limiter";
import { RequestRateLimiter } from "../security/request-rate-limiter";

/** Any positive answer refuses; a cap's refusal has no waiting time of its own. */
const CAP_REFUSED_MS = 1;

interface SiteLimits {
  rate?: RequestRateLimiter;
  connections?: ConnectionLimiter;
}

/**
 * The one counter per site and client address that all workers share: each token and each slot is
 * granted here, in the order the questions arrive, so a limit holds exactly however the
 * connections spread over the workers. Memory: the rate buckets are bounded per site as in a
 * worker (DEFAULT_MAX_CLIENTS), the slots follow the requests in progress, and the sites follow
 * the configuration (retain).
 */
export class LimitAuthority {
  private readonly sites = new Map<string, SiteLimits>();
  /** Slots each worker holds, by worker id, then by site key and client: freed when it dies. */
  private readonly held = new Map<number, Map<string, LimitRelease>>();

  /** Applies a worker's releases, then answers its questions. */
  handle(workerId: number, asks: LimitAsk[], releases: LimitRelease[]): LimitAnswer[] {
    for (const release of releases) this.release(workerId, release);
    return asks.map((ask) => [ask.id, this.decide(workerId, ask)]);
  }

  /** A worker exited: the slots of its requests are free again. */
  workerGone(workerId: number): void {
    const slots = this.held.get(workerId);
    this.held.delete(workerId);
    for (const { key, client, count } of slots?.values() ?? []) this.free(key, client, count);
  }

  /** Forgets the limits of sites no longer configured (or whose limits changed: a new key). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.sites.keys()) if (!keys.has(key)) this.sites.delete(key);
  }

  private decide(workerId: number, ask: LimitAsk): number {
    let site = this.sites.get(ask.key);
    if (site === undefined) {
      site = {};
      this.sites.set(ask.key, site);
    }
    if ("rate" in ask) {
      site.rate ??= new RequestRateLimiter(ask.rate);
      const decision = site.rate.take(ask.client);
      return decision.allowed ? 0 : decision.retryAfterMs;
    }
    site.connections ??= new ConnectionLimiter(ask.maxPerClient);
    if (!site.connections.acquire(ask.client)) return CAP_REFUSED_MS;
    let slots = this.held.get(workerId);
    if (slots === undefined) {
      slots = new Map();
      this.held.set(workerId, slots);
    }
    const slot = `${ask.key}\n${ask.client}`;
    const holding = slots.get(slot);
    if (holding !== undefined) holding.count += 1;
    else slots.set(slot, { key: ask.key, client: ask.client, count: 1 });
    return 0;
  }

  /** Frees at most what the worker holds, so a confused worker cannot free another's slots. */
  private release(workerId: number, release: LimitRelease): void {
    const slots = this.held.get(workerId);
    const slot = `${release.key}\n${release.client}`;
    const holding = slots?.get(slot);
    if (slots === undefined || holding === undefined) return;
    const count = Math.min(release.count, holding.count);
    holding.count -= count;
    if (holding.count === 0) slots.delete(slot);
    this.free(release.key, release.client, count);
  }

  private free(key: string, client: string, count: number): void {
    const connections = this.sites.get(key)?.connections;
    for (let i = 0; i < count; i++) connections?.release(client);
  }
}
