import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessList } from "@/lib/services/access-lists";
import { createCertificate } from "@/lib/services/certificates";
import { updateAppSettings } from "@/lib/services/settings";
import { getSite, updateSite } from "@/lib/services/sites";
import { unusedPort } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { rawExchange, request, type SimpleResponse } from "@/test-support/http-client";
import { eventually } from "@/test-support/proxy-process";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";

/**
 * A site's maintenance mode and its own error pages, through the real proxy (primary and two
 * workers) on a real database, with real upstreams on loopback. The owner's address is 127.0.0.2,
 * a visitor's 127.0.0.1: both are this machine.
 */
const OWNER = "127.0.0.2";
const VISITOR = "127.0.0.1";
const PAGE_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const SHOP_503 = "<!doctype html><h1>The shop is closed</h1>";

let gateway: ProxyOnDatabase;
let backend: SwitchableBackend;
let ownerOnly: string;
let sites = 0;
const certs = new TestCertificateFactory();

const get = (host: string, from = VISITOR, headers: Record<string, string> = {}) =>
  request({ port: gateway.proxy.httpPort, host, localAddress: from, headers });

const upgrade = (host: string, from = VISITOR) =>
  rawExchange(
    gateway.proxy.httpPort,
    `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    { localAddress: from },
  );

/** A fresh site for each test; its response header x-team shows the site's headers were applied. */
async function site(extra: Record<string, unknown>, upstreams = [backend.url]): Promise<{ id: string; host: string }> {
  const host = `pages-${++sites}.test`;
  const saved = await gateway.addSite({
    name: host,
    hostnames: [host],
    upstreams: upstreams.map((url) => ({ url })),
    healthCheck: { enabled: false },
    customHeaders: { responseSet: [{ name: "x-team", value: "shop" }] },
    ...extra,
  });
  return { id: saved.id, host };
}

/** Saves a change as the dashboard does, and waits until the proxy serves it. */
async function edit(id: string, patch: Record<string, unknown>): Promise<void> {
  await updateSite(id, patch);
  await eventually(
    () => getSite(id),
    (now) => now.status.applied,
    { log: gateway.proxy.log },
  );
}

function expectMaintenance(res: SimpleResponse, message: string): void {
  expect(res.status).toBe(503);
  expect(res.headers).toMatchObject({ ...PAGE_HEADERS, "retry-after": "300", "x-team": "shop" });
  expect(res.body).toContain(message);
}

beforeAll(async () => {
  backend = await startSwitchableBackend("A");
  gateway = await startProxyOnDatabase({ workers: 2 });
  ownerOnly = (await createAccessList({ name: "Owner", allow: [OWNER] })).id;
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
  certs.cleanup();
});

describe("maintenance mode", () => {
  it("answers 503 with the message, escaped, to everyone but the access list's allowed addresses", async () => {
    const { host } = await site({
      accessListId: ownerOnly,
      maintenance: { enabled: true, message: `Back at <b>5</b> & "soon"` },
      errorPages: { "503": SHOP_503 },
    });
    backend.resetHits();
    const visitor = await get(host, VISITOR);
    expectMaintenance(visitor, "Back at &lt;b&gt;5&lt;/b&gt; &amp; &quot;soon&quot;");
    expect(visitor.body).not.toContain("<b>");
    // The maintenance page is its own, not the site's 503 page.
    expect(visitor.body).not.toContain("The shop is closed");
    const socket = await upgrade(host, VISITOR);
    expect(socket).toMatch(/^HTTP\/1\.1 503 /);
    expect(socket).toMatch(/\r\nretry-after: 300\r\n/);
    expect(socket).toContain("Back at &lt;b&gt;5&lt;/b&gt;");
    expect(backend.hits()).toBe(0);

    // The owner sees the site, to check it before opening it again.
    expect(await get(host, OWNER)).toMatchObject({ status: 200, body: "A" });
    expect(backend.hits()).toBe(1);
  });

  it("lets nobody through without an access list, and says so in plain words when there is no message", async () => {
    const { host } = await site({ maintenance: { enabled: true } });
    for (const from of [VISITOR, OWNER]) expectMaintenance(await get(host, from), "This website is down for maintenance.");
  });

  it("still refuses what the protections refuse for an allowed address (a denied one among it)", async () => {
    const denied = (await createAccessList({ name: "Owner but not .3", allow: ["127.0.0.0/24"], deny: ["127.0.0.3"] })).id;
    const { host } = await site({ accessListId: denied, maintenance: { enabled: true } });
    expect((await get(host, OWNER)).status).toBe(200);
    expect((await get(host, "127.0.0.3")).status).toBe(403);
  });

  it("believes a trusted proxy's X-Forwarded-For about who the owner is", async () => {
    const { host } = await site({ accessListId: ownerOnly, maintenance: { enabled: true } });
    await updateAppSettings({ trustedProxies: [VISITOR] });
    try {
      await eventually(
        () => get(host, VISITOR, { "x-forwarded-for": OWNER }),
        (res) => res.status === 200,
        { log: gateway.proxy.log },
      );
      expect((await get(host, VISITOR, { "x-forwarded-for": "127.0.0.9" })).status).toBe(503);
    } finally {
      await updateAppSettings({ trustedProxies: [] });
    }
  });

  it("sends plain HTTP to HTTPS first when the site forces HTTPS", async () => {
    const material = certs.selfSigned(["secure-maintenance.test"]);
    const { certificate } = await createCertificate({
      type: "upload",
      certificatePem: material.certificatePem,
      privateKeyPem: material.privateKeyPem,
    });
    const host = "secure-maintenance.test";
    await gateway.addSite({
      name: host,
      hostnames: [host],
      upstreams: [{ url: backend.url }],
      certificateId: certificate.id,
      forceHttps: true,
      maintenance: { enabled: true },
    });
    const res = await get(host);
    expect(res.status).toBe(301);
    expect(res.headers.location).toMatch(/^https:\/\//);
  });

  it("keeps the health checks going, and serves everyone again once it is turned off", { timeout: 30_000 }, async () => {
    const { id, host } = await site({
      maintenance: { enabled: true, message: "Soon" },
      healthCheck: { enabled: true, path: "/maintenance-health", intervalSeconds: 1, timeoutSeconds: 1 },
    });
    expectMaintenance(await get(host), "Soon");
    const checks = () => backend.requests.filter((path) => path === "/maintenance-health").length;
    const before = checks();
    await eventually(
      async () => checks(),
      (count) => count >= before + 2,
      { log: gateway.proxy.log },
    );
    await edit(id, { maintenance: { enabled: false } });
    expect(await get(host)).toMatchObject({ status: 200, body: "A" });
  });
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
