import http from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LoadBalancingPolicy } from "@/lib/schemas/upstream-health";
import { startBackend, unusedPort, type Backend } from "@/test-support/backend";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { request, websocketEcho, type SimpleResponse } from "@/test-support/http-client";
import { eventually } from "@/test-support/proxy-process";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";
import { testSite, testSnapshot } from "@/test-support/snapshots";

let a: SwitchableBackend;
let b: SwitchableBackend;
let proxy: RunningDataPlane | undefined;
let failing: Array<{ upstreamId: string; reason: string; at: number }>;
/** testSite ids: the site's upstreams in order, A then B. Live state is keyed by them. */
const A_ID = "lb-u0";
const B_ID = "lb-u1";

const HOST = "lb.test";
const backendOf = (res: SimpleResponse) => res.body;
const get = (options: Partial<Parameters<typeof request>[0]> = {}) => request({ port: proxy!.httpPort, host: HOST, ...options });

async function startProxy(
  policy: LoadBalancingPolicy,
  upstreams: string[],
  passiveHealth: { failureThreshold?: number; coolDownMs?: number } = {},
  passiveHealthCountsServerErrors = false,
): Promise<RunningDataPlane> {
  proxy = await startDataPlane({
    passiveHealth,
    onUpstreamFailing: (upstreamId, reason) => failing.push({ upstreamId, reason, at: Date.now() }),
  });
  const applied = proxy.plane.apply(
    testSnapshot(1, [testSite({ id: "lb", hostnames: [HOST], upstreams, loadBalancing: { policy }, passiveHealthCountsServerErrors })]),
  );
  expect(applied.ok).toBe(true);
  return proxy;
}

/** Sequential GETs; returns how many each backend answered. */
async function spread(count: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const res = await get();
    expect(res.status).toBe(200);
    const name = backendOf(res);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  a = await startSwitchableBackend("A");
  b = await startSwitchableBackend("B");
});
beforeEach(async () => {
  failing = [];
  await a.start();
  await b.start();
  a.answer(200);
  b.answer(200);
  a.resetHits();
  b.resetHits();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe("an upstream that stops while traffic flows", () => {
  it("costs no request (retry + passive bench), and gets traffic again after the cool-down once it is back", async () => {
    const coolDownMs = 800;
    const running = await startProxy("round_robin", [a.url, b.url], { failureThreshold: 3, coolDownMs });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const results: Array<{ status: number; backend: string }> = [];
    const errors: unknown[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const res = await request({ port: running.httpPort, host: HOST, agent });
          results.push({ status: res.status, backend: res.status === 200 ? backendOf(res) : `HTTP ${res.status}` });
        } catch (error) {
          errors.push(error);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));
    const afterMore = async (count: number) => {
      const target = results.length + count;
      await eventually(
        async () => results.length,
        (n) => n >= target || errors.length > 0,
        { intervalMs: 5 },
      );
    };

    try {
      await afterMore(200);
      expect(new Set(results.map((r) => r.backend))).toEqual(new Set(["A", "B"]));

      await b.stop();
      await afterMore(400);
      // Benched: B's upstream id went to the callback, with the reason in words.
      expect(failing.length).toBeGreaterThanOrEqual(1);
      expect(failing.every((f) => f.upstreamId === B_ID)).toBe(true);
      expect(failing[0]?.reason).toMatch(/^3 failed requests in a row \(the last: connection (refused|reset)/);

      b.resetHits();
      await b.start();
      await eventually(
        async () => b.hits(),
        (hits) => hits > 0,
        { timeoutMs: 10_000, intervalMs: 10 },
      );
      // Not before its cool-down was over.
      const lastBenched = failing.at(-1)!.at;
      expect(b.firstHitAt()! - lastBenched).toBeGreaterThanOrEqual(coolDownMs - 20);

      // Back in the rotation for good: about half of the traffic again.
      const from = results.length;
      await afterMore(400);
      const share = results.slice(from).filter((r) => r.backend === "B").length / (results.length - from);
      expect(share).toBeGreaterThan(0.35);
      expect(share).toBeLessThan(0.65);
    } finally {
      stop = true;
      await load;
      agent.destroy();
    }

    expect(errors).toEqual([]);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
  });
});

describe("active health verdicts (setUpstreamHealth)", () => {
  it("sends nothing to an upstream marked down, across reloads, until it is marked up again", async () => {
    const running = await startProxy("round_robin", [a.url, b.url]);
    running.plane.setUpstreamHealth({ [B_ID]: "down", [A_ID]: "up" });
    expect(await spread(50)).toEqual({ A: 50 });

    // A reload with the same upstreams keeps the verdicts: they belong to the upstream (its stable id), not the config.
    const site = testSite({ id: "lb", hostnames: [HOST], upstreams: [a.url, b.url], loadBalancing: { policy: "weighted" } });
    expect(running.plane.apply(testSnapshot(2, [site])).ok).toBe(true);
    expect(await spread(50)).toEqual({ A: 50 });
    expect(b.hits()).toBe(0);

    running.plane.setUpstreamHealth({}); // not listed: up
    expect(await spread(50)).toEqual({ A: 25, B: 25 });
  });

  it("answers a plain 503 that reveals no upstream address when every upstream is down", async () => {
    const running = await startProxy("round_robin", [a.url, b.url]);
    running.plane.setUpstreamHealth({ [A_ID]: "down", [B_ID]: "down" });
    const res = await get();
    expect(res.status).toBe(503);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toContain("503");
    expect(res.body).toContain("This website is not available right now");
    for (const secret of ["127.0.0.1", String(a.port), String(b.port), "lb.test", "upstream", "server"]) expect(res.body).not.toContain(secret);
    await expect(websocketEcho({ port: running.httpPort, host: HOST, message: "hi" })).rejects.toThrow(/HTTP 503/);
    expect(a.hits() + b.hits()).toBe(0);

    running.plane.setUpstreamHealth({ [A_ID]: "up", [B_ID]: "down" });
    expect(await spread(4)).toEqual({ A: 4 });
  });
});

describe("passive health checks", () => {
  it("bench only while another upstream is usable, and try benched ones anyway rather than answer 503", async () => {
    const deadOne = `http://127.0.0.1:${await unusedPort()}`;
    const deadTwo = `http://127.0.0.1:${await unusedPort()}`;
    await startProxy("round_robin", [deadOne, deadTwo], { failureThreshold: 1, coolDownMs: 60_000 });
    expect((await get()).status).toBe(502); // tried both: the first, then the retry elsewhere
    // The first was benched; the second was then the last usable one: its failure is only counted.
    expect(failing.map((f) => f.upstreamId)).toEqual(["lb-u0"]);
    const res = await get();
    expect(res.status).toBe(502);
    expect(res.body).not.toContain("127.0.0.1");
  });

  it("count 5xx answers where the site opts in: the answer is relayed, not retried, and the upstream is benched after N", async () => {
    const coolDownMs = 300;
    await startProxy("failover", [a.url, b.url], { failureThreshold: 3, coolDownMs }, true);
    a.answer(503);
    for (let i = 0; i < 3; i++) {
      const res = await get();
      expect(res.status).toBe(503);
      expect(backendOf(res)).toBe("A"); // the upstream's own answer
    }
    expect(failing).toEqual([{ upstreamId: A_ID, reason: "3 failed requests in a row (the last: answered HTTP 503)", at: expect.any(Number) }]);
    expect(await spread(3)).toEqual({ B: 3 }); // the backup takes over

    a.answer(200);
    await new Promise((resolve) => setTimeout(resolve, coolDownMs + 50));
    expect(await spread(3)).toEqual({ A: 3 }); // failover moves back once A is tried again and answers
  });

  it("keeps counting across reloads: the bench belongs to the upstream (its stable id)", async () => {
    const running = await startProxy("round_robin", [a.url, b.url], { failureThreshold: 2, coolDownMs: 60_000 }, true);
    b.answer(500);
    for (let i = 0; i < 4; i++) await get();
    expect(failing.map((f) => f.upstreamId)).toEqual([B_ID]);
    const renamed = testSite({ id: "lb", name: "renamed", hostnames: [HOST], upstreams: [a.url, b.url], passiveHealthCountsServerErrors: true });
    expect(running.plane.apply(testSnapshot(2, [renamed])).ok).toBe(true);
    b.resetHits();
    expect(await spread(10)).toEqual({ A: 10 });
    expect(b.hits()).toBe(0);
  });
});

describe("failover retry", () => {
  let dead: string;
  beforeEach(async () => {
    dead = `http://127.0.0.1:${await unusedPort()}`;
    // A high threshold keeps the dead upstream in play, so that every request meets it first.
    await startProxy("failover", [dead, a.url], { failureThreshold: 1_000 });
  });

  it.each([{ method: "GET" }, { method: "HEAD" }, { method: "OPTIONS" }, { method: "DELETE" }, { method: "PUT", note: "without a body" }])(
    "retries a bodyless $method on another upstream",
    async ({ method }) => {
      const res = await get({ method, path: "/item" });
      expect(res.status).toBe(200);
      if (method !== "HEAD") expect(backendOf(res)).toBe("A");
      expect(a.hits()).toBe(1);
    },
  );

  it.each([
    { method: "POST", body: "pay=1" },
    { method: "POST", body: undefined },
    { method: "PATCH", body: "x=1" },
    { method: "PUT", body: "x=1" },
    { method: "DELETE", body: "x=1" },
  ])("does not retry $method with body $body: 502, and the other upstream never sees it", async ({ method, body }) => {
    // Explicit framing: Node's client sends a DELETE body with none.
    const headers = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const res = await get({ method, path: "/pay", body, headers });
    expect(res.status).toBe(502);
    expect(res.body).not.toContain("127.0.0.1");
    expect(a.hits()).toBe(0);
  });
});

describe("policies over real connections", () => {
  let slow: Backend;
  beforeAll(async () => {
    slow = await startBackend({ name: "slow", delayMs: 400 });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it("least connections sends new requests to the idle upstream while the other is busy", async () => {
    await startProxy("least_conn", [slow.url, a.url]);
    const arrived = slow.nextRequest();
    const busy = get(); // ties go round in turn, starting with the first upstream: slow
    await arrived;
    expect(await spread(6)).toEqual({ A: 6 });
    expect((await busy).status).toBe(200);
    // Everything finished, so the in-flight counts are back to zero and ties take turns again.
    a.resetHits();
    await Promise.all([get(), get()]);
    expect(a.hits()).toBe(1);
  });

  it("IP hash keeps a client on one upstream, moves it while that one is down, and back when it recovers", async () => {
    const running = await startProxy("ip_hash", [a.url, b.url]);
    const first = await spread(10);
    expect(Object.values(first)).toEqual([10]);
    const home = Object.keys(first)[0]!;
    const homeId = home === "A" ? A_ID : B_ID;
    running.plane.setUpstreamHealth({ [homeId]: "down" });
    expect(await spread(5)).toEqual({ [home === "A" ? "B" : "A"]: 5 });
    running.plane.setUpstreamHealth({ [homeId]: "up" });
    expect(await spread(5)).toEqual({ [home]: 5 });
  });
});
