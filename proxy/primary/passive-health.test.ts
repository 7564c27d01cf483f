import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { request } from "@/test-support/http-client";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";

/**
 * Passive health as nginx does it, through the real proxy (primary -> worker) on a real database,
 * with the default passive settings (3 failures in a row, 30 s bench). Active checks are off on
 * these sites so that only the passive ones decide. One worker: each worker keeps its own
 * passive state, and the counts below are per worker.
 */
let gateway: ProxyOnDatabase;
let a: SwitchableBackend;
let b: SwitchableBackend;
let sites = 0;

const get = (host: string, path = "/") => request({ port: gateway.proxy.httpPort, host, path });
const noActiveChecks = { enabled: false };

/** A fresh site (and so fresh upstream ids and passive state) for each test. */
async function site(upstreams: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const host = `passive-${++sites}.test`;
  await gateway.addSite({ name: host, hostnames: [host], upstreams: upstreams.map((url) => ({ url })), healthCheck: noActiveChecks, ...extra });
  return host;
}

beforeAll(async () => {
  [a, b] = await Promise.all([startSwitchableBackend("A"), startSwitchableBackend("B")]);
  gateway = await startProxyOnDatabase({ workers: 1 });
});
beforeEach(async () => {
  await Promise.all([a.start(), b.start()]);
  a.answer(200);
  b.answer(200);
  a.answerPath("/status/503", null);
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([a?.close(), b?.close()]);
});

describe("passive health checks in the proxy", () => {
  it("leaves a site up whose only upstream answers 503 on one path: other paths still reach it", async () => {
    const host = await site([a.url]);
    a.answerPath("/status/503", 503);
    for (let i = 0; i < 10; i++) {
      const res = await get(host, "/status/503");
      expect([res.status, res.body]).toEqual([503, "A"]); // the upstream's own answer, relayed
    }
    const ok = await get(host, "/ok");
    expect([ok.status, ok.body]).toEqual([200, "A"]);
  });

  it("leaves a site up whose upstreams answer 5xx on every path, as long as it has not opted in", async () => {
    const host = await site([b.url, a.url], { loadBalancing: { policy: "failover" } });
    b.answer(502);
    for (let i = 0; i < 6; i++) expect((await get(host)).body).toBe("B");
    b.answer(200);
    expect((await get(host)).body).toBe("B"); // never benched: the failover's first choice still
  });

  it("benches an upstream that refuses connections while another one is usable", async () => {
    const host = await site([b.url, a.url], { loadBalancing: { policy: "failover" } });
    await b.stop();
    // Each request tries B, is refused, and is retried on A: the visitor never notices.
    for (let i = 0; i < 3; i++) expect(await get(host)).toMatchObject({ status: 200, body: "A" });
    // B is back, but benched for its cool-down: failover, which prefers B, sends everything to A.
    await b.start();
    b.resetHits();
    for (let i = 0; i < 5; i++) expect((await get(host)).body).toBe("A");
    expect(b.hits()).toBe(0);
  });

  it("never benches a site's last usable upstream: it gets the next request as soon as it is back", async () => {
    const host = await site([b.url]);
    await b.stop();
    for (let i = 0; i < 6; i++) expect((await get(host)).status).toBe(502);
    await b.start();
    expect(await get(host)).toMatchObject({ status: 200, body: "B" });
  });

  it("counts 5xx answers where the site opts in", async () => {
    const host = await site([b.url, a.url], { loadBalancing: { policy: "failover" }, passiveHealthCountsServerErrors: true });
    b.answer(503);
    for (let i = 0; i < 3; i++) expect(await get(host)).toMatchObject({ status: 503, body: "B" });
    b.answer(200);
    for (let i = 0; i < 3; i++) expect((await get(host)).body).toBe("A");
  });
});
