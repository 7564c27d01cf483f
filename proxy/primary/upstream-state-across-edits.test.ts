import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSite, updateSite } from "@/lib/services/sites";
import { request } from "@/test-support/http-client";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { eventually } from "@/test-support/proxy-process";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";

/**
 * Load-balancing state across edits, through the real proxy (primary -> worker) on a real
 * database: a save that leaves the upstreams alone must not restart the weighted cycle.
 * One worker, so that one policy object sees every request and the sequence is exact.
 */
let gateway: ProxyOnDatabase;
let a: SwitchableBackend;
let b: SwitchableBackend;

beforeAll(async () => {
  [a, b] = await Promise.all([startSwitchableBackend("A"), startSwitchableBackend("B")]);
  gateway = await startProxyOnDatabase({ workers: 1 });
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all([a?.close(), b?.close()]);
});

const next = async (host: string) => (await request({ port: gateway.proxy.httpPort, host })).body;

describe("weighted round robin across edits", () => {
  it("continues its sequence after the site is renamed instead of starting over", async () => {
    const site = await gateway.addSite({
      name: "Weighted",
      hostnames: ["weighted.test"],
      upstreams: [
        { url: a.url, weight: 3 },
        { url: b.url, weight: 1 },
      ],
      loadBalancing: { policy: "weighted" },
      healthCheck: { enabled: false },
    });
    // Smooth weighted round robin with 3:1 goes A A B A, A A B A, ...
    expect([await next("weighted.test"), await next("weighted.test")]).toEqual(["A", "A"]);

    const renamed = await updateSite(site.id, { name: "Weighted, renamed", customHeaders: { responseSet: [{ name: "X-Edited", value: "1" }] } });
    expect(renamed.upstreams.map((u) => u.id)).toEqual(site.upstreams.map((u) => u.id));
    // Applied means every worker serves the new revision (the primary records it after their replies).
    await eventually(
      () => getSite(site.id),
      (current) => current.status.applied,
      { log: gateway.proxy.log },
    );

    const after = await request({ port: gateway.proxy.httpPort, host: "weighted.test" });
    expect(after.headers["x-edited"]).toBe("1");
    // Continued: B then A. Started over, it would be A A again.
    expect([after.body, await next("weighted.test")]).toEqual(["B", "A"]);
  });
});
