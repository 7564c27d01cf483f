import { isIPv6 } from "node:net";

/**
 * Slows down password guessing, per client address and email together (so a stranger who knows
 * the admin's email slows down only themselves) and per client address across emails. Every
 * attempt is counted as a failure when it starts, before its password is checked, so attempts
 * sent at once see each other; a success clears its keys. After a few failures each further
 * attempt must wait longer (doubling, capped) and is refused until then; a burst locks the keys
 * for a while. Memory stays bounded however many keys arrive.
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
  /** No attempt before this time. */
  nextAt: number;
}

export type Attempt =
  | { allowed: true /** The password was right: forget the failures of these keys. */; succeeded(): void }
  | { allowed: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The keys an attempt is counted under. */
  static keys(clientIp: string, email: string): string[] {
    const client = clientKey(clientIp);
    return [`client:${client}|email:${email}`, `client:${client}`];
  }

  /** Reserves an attempt (counted as failed until it succeeds), or says how long to wait. */
  begin(keys: string[]): Attempt {
    const now = this.now();
    let waitMs = 0;
    for (const key of keys) {
      const entry = this.live(key, now);
      if (!entry) continue;
      const until = entry.failures >= LOCK_AFTER ? entry.first + WINDOW_MS : entry.nextAt;
      waitMs = Math.max(waitMs, until - now);
    }
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    for (const key of keys) {
      const entry = this.live(key, now) ?? { failures: 0, first: now, nextAt: now };
      entry.failures += 1;
      entry.nextAt = now + delayAfter(entry.failures);
      this.entries.delete(key); // re-inserted last: the map's order is least recently failed first
      this.entries.set(key, entry);
    }
    this.evictOldest();
    return { allowed: true, succeeded: () => keys.forEach((key) => this.entries.delete(key)) };
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.first > WINDOW_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private evictOldest(): void {
    while (this.entries.size > MAX_KEYS) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

function delayAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_MS);
}

/**
 * One IPv6 client usually holds a whole /64, and could take a fresh address per attempt: it is
 * counted as its /64. IPv4 addresses (also in their ::ffff: form) count one by one.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  if (!isIPv6(ip)) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = ip.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return (
    groups
      .slice(0, 4)
      .map((group) => group.replace(/^0+(?=.)/, ""))
      .join(":") + "::/64"
  );
}

const holder = globalThis as unknown as { __gatekeeperLoginAttempts?: LoginThrottle };
export const loginThrottle = (holder.__gatekeeperLoginAttempts ??= new LoginThrottle());
