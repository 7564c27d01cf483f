import type { SelectableUpstream, SelectionPolicy } from "./selection-policy";

export interface PassiveHealthOptions {
  /** Failures in a row (connection errors, timeouts; 5xx answers where the site opts in) that bench an upstream. */
  failureThreshold: number;
  /** How long a benched upstream gets no new requests before it is tried again. */
  coolDownMs: number;
}

export const DEFAULT_PASSIVE_HEALTH: PassiveHealthOptions = { failureThreshold: 3, coolDownMs: 30_000 };

/** What the pool needs to know about a site: its upstreams, its policy and its passive-health choice. */
export interface PoolSite<U extends SelectableUpstream = SelectableUpstream> {
  readonly upstreams: readonly U[];
  readonly policy: SelectionPolicy;
  /** 5xx answers count as failures (the site opted in); otherwise only errors and timeouts do. */
  readonly passiveHealthCountsServerErrors: boolean;
}

export interface UpstreamPoolOptions {
  passive?: Partial<PassiveHealthOptions>;
  /** Called when passive checks bench an upstream; not again until it has been tried again. */
  onBenched?: (upstream: SelectableUpstream, reason: string) => void;
  /** For tests that step through a cool-down without waiting for it. */
  now?: () => number;
}

export interface PickRequest {
  clientAddress?: string;
  /** The upstream id a failed attempt just went to: a retry goes elsewhere or nowhere. */
  exclude?: string;
}

interface HostState {
  inFlight: number;
  failuresInARow: number;
  benchedUntil: number;
}

/**
 * Live state per upstream, keyed by the upstream's stable id (kept across saves while its URL
 * stays) and kept by the data plane rather than by a config generation, so that it survives
 * reloads and edits (Caddy's hosts.go): in-flight requests, the active checks' verdicts (each
 * site's own, with its own settings), and the passive checks' failure streaks and benches.
 * Upstream ids belong to one site, so one site's settings never decide for another.
 *
 * Passive health follows nginx (max_fails / fail_timeout): connection errors and timeouts count,
 * 5xx answers only where the site opts in; the last usable upstream of a site is never benched,
 * and when every upstream that active checks do not call down is benched, they are tried anyway.
 */
export class UpstreamPool {
  private readonly hosts = new Map<string, HostState>();
  /** Only the upstreams active checks call down: an upstream nobody has checked counts as up. */
  private activelyDown: ReadonlySet<string> = new Set();
  private readonly passive: PassiveHealthOptions;
  private readonly onBenched: (upstream: SelectableUpstream, reason: string) => void;
  private readonly now: () => number;

  constructor(options: UpstreamPoolOptions = {}) {
    this.passive = {
      failureThreshold: Math.max(1, options.passive?.failureThreshold ?? DEFAULT_PASSIVE_HEALTH.failureThreshold),
      coolDownMs: Math.max(0, options.passive?.coolDownMs ?? DEFAULT_PASSIVE_HEALTH.coolDownMs),
    };
    this.onBenched = options.onBenched ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  /** The active checks' whole verdict by upstream id, replacing the previous one. */
  setActiveHealth(states: Readonly<Record<string, string>>): void {
    const down = new Set(Object.keys(states).filter((id) => states[id] === "down"));
    // A check that passes again is fresher news than the passive bench: end the bench at once.
    for (const id of this.activelyDown) {
      const host = this.hosts.get(id);
      if (!down.has(id) && host !== undefined) {
        host.benchedUntil = 0;
        host.failuresInARow = 0;
      }
    }
    this.activelyDown = down;
  }

  /** May get new requests: not down by active checks and not benched by passive ones. */
  isAvailable(id: string): boolean {
    return !this.activelyDown.has(id) && !this.isBenched(id);
  }

  /**
   * The site's policy picks among its available upstreams. When none is available but some are
   * only benched, the policy picks among those (nginx: better a chance than a certain 503).
   * Upstreams that active checks call down are never tried: a check with the site's own
   * settings, confirmed `unhealthyThreshold` times, is firmer news than a few failed requests,
   * and trying a server a probe cannot reach makes every visitor wait for it to fail (Caddy and
   * Traefik answer 503 then too). Null: nothing to try, the caller answers 503.
   */
  pick<U extends SelectableUpstream>(site: PoolSite<U>, request: PickRequest = {}): U | null {
    // One upstream, the common case: it is never benched (the last usable one), so nothing to weigh.
    if (site.upstreams.length === 1) {
      const only = site.upstreams[0]!;
      return only.id === request.exclude || this.activelyDown.has(only.id) ? null : only;
    }
    let unusable: Set<string> | undefined;
    let benched: Set<string> | undefined;
    for (const upstream of site.upstreams) {
      if (upstream.id === request.exclude || this.activelyDown.has(upstream.id)) (unusable ??= new Set()).add(upstream.id);
      else if (this.isBenched(upstream.id)) (benched ??= new Set()).add(upstream.id);
    }
    const skip = benched === undefined ? unusable : new Set([...benched, ...(unusable ?? [])]);
    const picked = site.policy.pick(site.upstreams, { clientAddress: request.clientAddress, inFlight: this.inFlight, skip });
    if (picked !== null || benched === undefined) return picked;
    return site.policy.pick(site.upstreams, { clientAddress: request.clientAddress, inFlight: this.inFlight, skip: unusable });
  }

  /** An arrow function so that it can be handed to a policy as it is. */
  readonly inFlight = (id: string): number => this.hosts.get(id)?.inFlight ?? 0;

  acquire(id: string): void {
    this.host(id).inFlight += 1;
  }

  release(id: string): void {
    const host = this.hosts.get(id);
    if (host !== undefined && host.inFlight > 0) host.inFlight -= 1;
  }

  /** The upstream answered: a 5xx is a failure only where the site opted in; anything else clears the streak. */
  recordAnswer<U extends SelectableUpstream>(site: PoolSite<U>, upstream: U, status: number): void {
    if (status >= 500 && site.passiveHealthCountsServerErrors) this.recordFailure(site, upstream, `answered HTTP ${status}`);
    else this.recordSuccess(upstream.id);
  }

  recordSuccess(id: string): void {
    const host = this.hosts.get(id);
    if (host !== undefined) host.failuresInARow = 0;
  }

  /**
   * Counts a failure; the one that completes the streak benches the upstream, unless it is the
   * site's last usable one: then the streak stays on record and it keeps getting requests
   * (nginx never marks the only server of a group unavailable). The streak is not reset by
   * benching: once the cool-down is over the upstream is on probation, where a single success
   * clears it and a single failure benches it again, rather than costing another
   * `failureThreshold` failed requests each time.
   */
  recordFailure<U extends SelectableUpstream>(site: PoolSite<U>, upstream: U, reason: string): void {
    const host = this.host(upstream.id);
    host.failuresInARow += 1;
    const now = this.now();
    if (host.failuresInARow < this.passive.failureThreshold || host.benchedUntil > now) return;
    if (!site.upstreams.some((other) => other.id !== upstream.id && this.isAvailable(other.id))) return;
    host.benchedUntil = now + this.passive.coolDownMs;
    this.onBenched(upstream, `${host.failuresInARow} failed requests in a row (the last: ${reason})`);
  }

  /** Forgets upstreams no site uses any more, once nothing is in flight to them. */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const [id, host] of this.hosts) {
      if (!ids.has(id) && host.inFlight === 0) this.hosts.delete(id);
    }
  }

  private isBenched(id: string): boolean {
    const host = this.hosts.get(id);
    return host !== undefined && host.benchedUntil > this.now();
  }

  private host(id: string): HostState {
    let host = this.hosts.get(id);
    if (host === undefined) {
      host = { inFlight: 0, failuresInARow: 0, benchedUntil: 0 };
      this.hosts.set(id, host);
    }
    return host;
  }
}
