import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callRoute } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import { createFirstAdmin } from "@/lib/auth/users";
import * as tokensRoute from "./route";

/**
 * POST /api/v1/tokens with a password, from client addresses as the dashboard's server passes
 * them on (X-Forwarded-For, rewritten from the connection). The sign-in form goes through the same
 * check (lib/auth/users.ts checkCredentials).
 */
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  await createFirstAdmin("admin@example.com", "the right password");
});
afterEach(async () => {
  vi.useRealTimers();
  await cleanup();
});

// Each test its own addresses: the throttle lives as long as the process.
const signIn = (from: string, password: string) =>
  callRoute(tokensRoute.POST, "POST", "/api/v1/tokens", {
    body: { email: "admin@example.com", password, name: "script" },
    headers: { "x-forwarded-for": from },
  });

describe("sign-in throttling", () => {
  it("checks at most a few of forty wrong passwords sent at once, and answers the rest 429", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => signIn("203.0.113.10", "wrong password")));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(36);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("lets the admin in from another address while an attacker who knows the email is locked out", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let i = 0; i < 20; i++) {
      const answer = await signIn("203.0.113.11", "wrong password");
      expect(answer.status).toBe(401);
      vi.setSystemTime(Date.now() + 16_000); // past each wait, so the lock-out is what stops it
    }
    const attacker = await signIn("203.0.113.11", "the right password");
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get("retry-after"))).toBeGreaterThan(60);

    const admin = await signIn("198.51.100.12", "the right password");
    expect(admin.status).toBe(201);
    const viaIpv6 = await signIn("2001:db8:12::1", "the right password");
    expect(viaIpv6.status).toBe(201);
  });

  it("slows the attacker's address, not the admin's, when both try at the same moment", async () => {
    const [attackerAnswers, admin] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => signIn("203.0.113.13", "wrong password"))),
      signIn("198.51.100.13", "the right password"),
    ]);
    expect(admin.status).toBe(201);
    expect(attackerAnswers.some((answer) => answer.status === 429)).toBe(true);
  });
});
