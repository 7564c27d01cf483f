export interface PassiveHealthOptions {
  /** Failures in a row (connection errors, timeouts, 5xx answers) that bench an upstream. */
  failureThreshold: number;
  /** How long a benched upstream gets no new requests before it is tried again. */
  coolDownMs: number;
}

export const DEFAULT_PASSIVE_HEALTH: PassiveHealthOptions = { failureThreshold: 3, coolDownMs: 30_000 };

export interface UpstreamPoolOptions {
  passive?: Partial<PassiveHealthOptions>;
  /** Called when passive checks bench an address; not again until it has been tried again. */
  onBenched?: (address: string, reason: string) => void;
  /** For tests that step through a cool-down without waiting for it. */
  now?: () => number;
}

interface HostState {
  inFlight: number;
  failuresInARow: number;
  benchedUntil: number;
}

/**
 * Live state per upstream address, kept by the data plane rather than by a config generation,
 * so that it survives reloads (Caddy's hosts.go): in-flight requests, the active checks'
 * verdicts, and the passive checks' failure streaks and benches. Two sites with the same
 * upstream share its state, as they share the server behind it.
 */
export class UpstreamPool {
  private readonly hosts = new Map<string, HostState>();
  /** Only the addresses active checks call down: an address nobody has checked counts as up. */
  private activelyDown: ReadonlySet<string> = new Set();
  private readonly passive: PassiveHealthOptions;
  private readonly onBenched: (address: string, reason: string) => void;
  private readonly now: () => number;

  constructor(options: UpstreamPoolOptions = {}) {
    this.passive = {
      failureThreshold: Math.max(1, options.passive?.failureThreshold ?? DEFAULT_PASSIVE_HEALTH.failureThreshold),
      coolDownMs: Math.max(0, options.passive?.coolDownMs ?? DEFAULT_PASSIVE_HEALTH.coolDownMs),
    };
    this.onBenched = options.onBenched ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  /** The active checks' whole verdict, replacing the previous one. */
  setActiveHealth(states: Readonly<Record<string, string>>): void {
    const down = new Set(Object.keys(states).filter((address) => states[address] === "down"));
    // A check that passes again is fresher news than the passive bench: end the bench at once.
    for (const address of this.activelyDown) {
      const host = this.hosts.get(address);
      if (!down.has(address) && host !== undefined) {
        host.benchedUntil = 0;
        host.failuresInARow = 0;
      }
    }
    this.activelyDown = down;
  }

  /** May get new requests: not down by active checks and not benched by passive ones. */
  isAvailable(address: string): boolean {
    if (this.activelyDown.has(address)) return false;
    const host = this.hosts.get(address);
    return host === undefined || host.benchedUntil <= this.now();
  }

  /** An arrow function so that it can be handed to a policy as it is. */
  readonly inFlight = (address: string): number => this.hosts.get(address)?.inFlight ?? 0;

  acquire(address: string): void {
    this.host(address).inFlight += 1;
  }

  release(address: string): void {
    const host = this.hosts.get(address);
    if (host !== undefined && host.inFlight > 0) host.inFlight -= 1;
  }

  recordSuccess(address: string): void {
    const host = this.hosts.get(address);
    if (host !== undefined) host.failuresInARow = 0;
  }

  /**
   * Counts a failure; the one that completes the streak benches the address. The streak is not
   * reset by benching: once the cool-down is over the upstream is on probation, where a single
   * success clears it and a single failure benches it again, rather than costing another
   * `failureThreshold` failed requests each time.
   */
  recordFailure(address: string, reason: string): void {
    const host = this.host(address);
    host.failuresInARow += 1;
    const now = this.now();
    if (host.failuresInARow < this.passive.failureThreshold || host.benchedUntil > now) return;
    host.benchedUntil = now + this.passive.coolDownMs;
    this.onBenched(address, `${host.failuresInARow} failed requests in a row (the last: ${reason})`);
  }

  /** Forgets addresses no site uses any more, once nothing is in flight to them. */
  retainOnly(addresses: ReadonlySet<string>): void {
    for (const [address, host] of this.hosts) {
      if (!addresses.has(address) && host.inFlight === 0) this.hosts.delete(address);
    }
  }

  private host(address: string): HostState {
    let host = this.hosts.get(address);
    if (host === undefined) {
      host = { inFlight: 0, failuresInARow: 0, benchedUntil: 0 };
      this.hosts.set(address, host);
    }
    return host;
  }
}
