import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { rawExchange, request } from "@/test-support/http-client";
import { eventually } from "@/test-support/proxy-process";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";

/**
 * A site's own error pages, through the real proxy (primary and two workers) on a real database,
 * with real upstreams on loopback.
 */
const PAGE_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const SHOP_503 = "<!doctype html><h1>The shop is closed</h1>";

let gateway: ProxyOnDatabase;
let backend: SwitchableBackend;
let sites = 0;

const get = (host: string) => request({ port: gateway.proxy.httpPort, host });

const upgrade = (host: string) =>
  rawExchange(
    gateway.proxy.httpPort,
    `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
  );

/** A fresh site for each test; its response header x-team shows the site's headers were applied. */
async function site(extra: Record<string, unknown>, upstreams = [backend.url]): Promise<{ host: string }> {
  const host = `pages-${++sites}.test`;
  await gateway.addSite({
    name: host,
    hostnames: [host],
    upstreams: upstreams.map((url) => ({ url })),
    healthCheck: { enabled: false },
    customHeaders: { responseSet: [{ name: "x-team", value: "shop" }] },
    ...extra,
  });
  return { host };
}

beforeAll(async () => {
  backend = await startSwitchableBackend("A");
  gateway = await startProxyOnDatabase({ workers: 2 });
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
});

describe("a site's own error pages", () => {
  it("sends the site's 502 page when its upstream refuses connections, with the site's headers", async () => {
    const closed = `http://127.0.0.1:${await unusedPort()}`;
    const { host } = await site({ errorPages: { "502": "<p>Restarting, back in a minute</p>" } }, [closed]);
    const res = await get(host);
    expect(res.status).toBe(502);
    expect(res.body).toBe("<p>Restarting, back in a minute</p>");
    expect(res.headers).toMatchObject({ ...PAGE_HEADERS, "x-team": "shop", "x-frame-options": "SAMEORIGIN" });

    // Without a page of its own, the built-in one, which names nothing behind the proxy.
    const plain = await site({}, [closed]);
    const builtIn = await get(plain.host);
    expect(builtIn.status).toBe(502);
    expect(builtIn.body).toContain("502 Bad Gateway");
    expect(builtIn.body).not.toContain(closed.replace("http://", ""));
  });

  it("sends the site's 503 page when the health checks find every upstream down, to requests and upgrades", { timeout: 30_000 }, async () => {
    const down = await startSwitchableBackend("down");
    try {
      const { host } = await site(
        {
          errorPages: { "503": SHOP_503 },
          healthCheck: { enabled: true, path: "/health", intervalSeconds: 1, timeoutSeconds: 1, unhealthyThreshold: 1 },
        },
        [down.url],
      );
      expect((await get(host)).status).toBe(200);
      await down.stop();
      const res = await eventually(
        () => get(host),
        (answer) => answer.status === 503,
        { log: gateway.proxy.log },
      );
      expect(res.body).toBe(SHOP_503);
      expect(res.headers).toMatchObject({ ...PAGE_HEADERS, "x-team": "shop" });
      expect(res.headers["retry-after"]).toBeUndefined();
      const socket = await upgrade(host);
      expect(socket).toMatch(/^HTTP\/1\.1 503 /);
      expect(socket.endsWith(`\r\n\r\n${SHOP_503}`)).toBe(true);
    } finally {
      await down.close();
    }
  });
});
