import { createHash } from "node:crypto";
import { verifyPassword } from "@/lib/auth/password";

export interface BasicAuthUser {
  username: string;
  /** As lib/auth/password.ts writes it: never the password itself. */
  passwordHash: string;
}

/** The username and password of an `Authorization: Basic ...` header, or null. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  if (header === undefined || header.length > 4096) return null;
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (match === null) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const POSITIVE_TTL_MS = 10 * 60_000;
/** A wrong password tried again within this time costs nothing: scrypt is not run again. */
const NEGATIVE_TTL_MS = 30_000;
const MAX_CACHED = 10_000;
/** scrypt takes tens of milliseconds and 16-32 MiB each: a handful at a time per worker. */
const MAX_CONCURRENT = 4;
const MAX_WAITING = 64;

export type BasicAuthOutcome = "ok" | "wrong" | "busy";

/**
 * Checks basic-auth credentials against hashed users. Passwords are stored with a memory-hard
 * hash, far too slow to run on every request, so an outcome is remembered (keyed by a SHA-256 of
 * list, hash and header, never the password itself) and verifications run a few at a time: a
 * flood of guesses waits or gets "busy" instead of eating the worker's CPU and memory.
 */
export class BasicAuthVerifier {
  private readonly cache = new Map<string, { ok: boolean; until: number }>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly now: () => number = Date.now) {}

  async verify(scope: string, users: readonly BasicAuthUser[], header: string | undefined): Promise<BasicAuthOutcome> {
    const credentials = parseBasicAuth(header);
    if (credentials === null) return "wrong";
    const user = users.find((candidate) => candidate.username === credentials.username);
    if (user === undefined) return "wrong";
    const key = createHash("sha256").update(`${scope}\u0000${user.passwordHash}\u0000${header}`).digest("base64");
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.until > this.now()) return cached.ok ? "ok" : "wrong";

    if (this.running >= MAX_CONCURRENT) {
      if (this.waiting.length >= MAX_WAITING) return "busy";
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    try {
      const ok = await verifyPassword(credentials.password, user.passwordHash).catch(() => false);
      this.remember(key, ok);
      return ok ? "ok" : "wrong";
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  private remember(key: string, ok: boolean): void {
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { ok, until: this.now() + (ok ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
  }
}
