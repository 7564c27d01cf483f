import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { askProxy } from "@/lib/config/control-client";
import { createCertificate, getCertificate } from "@/lib/services/certificates";
import { createSite, getSite } from "@/lib/services/sites";
import { updateAppSettings } from "@/lib/services/settings";
import type { Certificate } from "@/lib/schemas/certificate";
import type { PreflightResult } from "@/lib/acme/preflight-types";
import type { NotificationPayload } from "@/lib/notifications/events";
import { startBackend, unusedPort, type Backend, type EchoResponse } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { peerCertificate, request } from "@/test-support/http-client";
import { startPebble, type Pebble } from "@/test-support/pebble";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";

/**
 * Let's Encrypt end to end, minus the browser: the real proxy process (primary + 2 workers) gets
 * certificates from a real ACME server (Pebble), which fetches the HTTP-01 answers from the
 * proxy's HTTP port, resolving every name through pebble-challtestsrv's DNS.
 */

let cleanup: () => Promise<void>;
let pebble: Pebble;
let proxy: ProxyProcess;
let backend: Backend;
let webhook: http.Server;
const events: NotificationPayload[] = [];
let rootPem: string;

const LONG = 60_000;
const log = () => `${proxy?.log() ?? ""}\n--- pebble ---\n${pebble?.log().slice(-4000) ?? ""}`;

async function certificateWhen(id: string, accept: (certificate: Certificate) => boolean): Promise<Certificate> {
  return eventually(() => getCertificate(id), accept, { timeoutMs: LONG, intervalMs: 100, log });
}

const finished = (certificate: Certificate) =>
  certificate.progress.some((step) => step.step === "installed" && step.state !== "running") ||
  (!certificate.ordering && certificate.lastError !== null);

const get = (host: string) => request({ port: proxy.httpPort, host });
const getSecure = (host: string) => request({ port: proxy.httpsPort, host, tls: { ca: rootPem } });

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  backend = await startBackend({ name: "shop" });
  webhook = http.createServer((incoming, response) => {
    let body = "";
    incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
    incoming.on("end", () => {
      events.push(JSON.parse(body) as NotificationPayload);
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  await updateAppSettings({ webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook` });

  const httpPort = await unusedPort();
  pebble = await startPebble({ httpPort });
  rootPem = await pebble.rootPem();
  proxy = await startProxyProcess({
    httpPort,
    env: {
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_FILE: pebble.caFile,
      DNS_SERVERS: pebble.dnsServer,
      ACME_POLL_MS: "200",
      ACME_EXPIRY_CHECK_MS: "300",
    },
  });
  await eventually(
    () => get("nothing.test"),
    (response) => response.status === 404,
    { timeoutMs: LONG, log },
  );
}, 90_000);

afterAll(async () => {
  await proxy?.stop();
  await pebble?.stop();
  await backend?.close();
  webhook?.close();
  await cleanup?.();
});

describe("Let's Encrypt through the proxy process", () => {
  let shopCertificateId: string;
  let shopSiteId: string;

  it("issues one certificate for a site's two names, installs it live and switches the site to it", { timeout: LONG }, async () => {
    const site = await createSite({ name: "Shop", hostnames: ["shop.test", "www.shop.test"], upstreams: [{ url: backend.url }] });
    shopSiteId = site.id;
    await eventually(
      () => get("shop.test"),
      (response) => response.status === 200,
      { log },
    );

    const { certificate } = await createCertificate({
      type: "acme",
      domains: ["shop.test", "www.shop.test"],
      email: "admin@gatekeeper.test",
      siteId: site.id,
    });
    shopCertificateId = certificate.id;
    expect(certificate.status).toBe("pending");
    const issued = await certificateWhen(certificate.id, finished);

    expect(issued.progress.map((step) => [step.step, step.state])).toEqual([
      ["account", "done"],
      ["order", "done"],
      ["challenge shop.test", "done"],
      ["challenge www.shop.test", "done"],
      ["validation", "done"],
      ["issued", "done"],
      ["installed", "done"],
    ]);
    expect(issued).toMatchObject({ status: "valid", lastError: null, ordering: false, siteIds: [site.id] });
    expect(issued.domains).toEqual(["shop.test", "www.shop.test"]);
    expect((await getSite(site.id)).certificateId).toBe(certificate.id);

    // Served over HTTPS for both names, verified against Pebble's root (the proxy sends the intermediate).
    for (const host of ["shop.test", "www.shop.test"]) {
      const response = await getSecure(host);
      expect(response.status).toBe(200);
      expect((JSON.parse(response.body) as EchoResponse).backend).toBe("shop");
      const served = await peerCertificate(proxy.httpsPort, host, { ca: rootPem, rejectUnauthorized: true });
      expect(served.serialNumber.toUpperCase()).toBe(issued.serialNumber);
    }
    // Intermediates fetched from Pebble: the chain the proxy serves is the one Pebble publishes.
    const served = await peerCertificate(proxy.httpsPort, "shop.test");
    expect(served.issuerCertificate.fingerprint256).toBe(
      new (await import("node:crypto")).X509Certificate(await pebble.intermediatesPem()).fingerprint256,
    );

    await eventually(
      async () => events,
      (list) => list.some((event) => event.event === "certificate.issued"),
      { log },
    );
    expect(events.find((event) => event.event === "certificate.issued")).toMatchObject({
      event: "certificate.issued",
      certificateId: certificate.id,
      domains: ["shop.test", "www.shop.test"],
      renewal: false,
    });
  });

  it("fails an order whose challenge cannot be reached with a clear error, and the site keeps serving", { timeout: LONG }, async () => {
    await pebble.pointHost("blocked.test", ["127.0.0.2"]);
    const site = await createSite({ name: "Blocked", hostnames: ["blocked.test"], upstreams: [{ url: backend.url }] });
    await eventually(
      () => get("blocked.test"),
      (response) => response.status === 200,
      { log },
    );
    const { certificate } = await createCertificate({ type: "acme", domains: ["blocked.test"], email: "admin@gatekeeper.test", siteId: site.id });

    const failed = await certificateWhen(certificate.id, (c) => !c.ordering && c.lastError !== null);
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/^The CA could not connect to blocked\.test on port 80: the connection was refused/);
    const step = failed.progress.find((s) => s.step === "challenge blocked.test");
    expect(step).toMatchObject({ state: "failed", message: failed.lastError, detail: expect.stringMatching(/127\.0\.0\.2.*refused/) });
    expect(failed.progress.map((s) => s.step)).not.toContain("installed");

    expect((await getSite(site.id)).certificateId).toBeNull();
    expect((await get("blocked.test")).status).toBe(200);
    // A first order is not a renewal: no renewal_failed event.
    expect(events.filter((event) => event.event === "certificate.renewal_failed")).toEqual([]);
  });

  it("answers pre-flight checks on the control port in plain words", { timeout: LONG }, async () => {
    const results = await askProxy<PreflightResult[]>("/acme/preflight", { hostnames: ["shop.test", "blocked.test", "*.shop.test"] });
    expect(results).toEqual([
      { hostname: "shop.test", ok: true, addresses: ["127.0.0.1"], message: "shop.test reaches this proxy" },
      { hostname: "blocked.test", ok: false, addresses: ["127.0.0.2"], message: "blocked.test resolves to 127.0.0.2, not to this server" },
      {
        hostname: "*.shop.test",
        ok: false,
        addresses: [],
        message: "*.shop.test is a wildcard: only a DNS challenge can prove it, so there is nothing to check on port 80",
      },
    ]);
    await expect(askProxy("/acme/preflight", { hostnames: "shop.test" })).rejects.toThrow(/400/);
  });

  it("renews when due, with a new serial number, while HTTPS requests keep succeeding", { timeout: LONG }, async () => {
    const before = await getCertificate(shopCertificateId);
    const statuses: number[] = [];
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 3 }, async () => {
        while (!stop)
          statuses.push(
            await getSecure("shop.test").then(
              (r) => r.status,
              () => 0,
            ),
          );
      }),
    );
    try {
      await db().certificate.update({ where: { id: shopCertificateId }, data: { renewAt: new Date(Date.now() - 1_000) } });
      const renewed = await certificateWhen(shopCertificateId, (c) => c.serialNumber !== before.serialNumber && finished(c));
      expect(renewed.progress.every((step) => step.state === "done")).toBe(true);
      expect(renewed.status).toBe("valid");
      await eventually(
        () => peerCertificate(proxy.httpsPort, "shop.test", { ca: rootPem, rejectUnauthorized: true }),
        (served) => served.serialNumber.toUpperCase() === renewed.serialNumber,
        { log },
      );
    } finally {
      stop = true;
      await load;
    }
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    await eventually(
      async () => events,
      (list) => list.some((event) => event.event === "certificate.issued" && event.renewal),
      { log },
    );
  });

  it("keeps the old certificate serving when a renewal fails, and calls the webhook", { timeout: LONG }, async () => {
    const before = await getCertificate(shopCertificateId);
    await pebble.pointHost("www.shop.test", ["127.0.0.2"]);
    await db().certificate.update({ where: { id: shopCertificateId }, data: { renewAt: new Date(Date.now() - 1_000) } });

    const event = await eventually(
      async () => events.find((e) => e.event === "certificate.renewal_failed"),
      (found) => found !== undefined,
      { timeoutMs: LONG, log },
    );
    expect(event).toMatchObject({
      event: "certificate.renewal_failed",
      certificateId: shopCertificateId,
      name: "shop.test",
      domains: ["shop.test", "www.shop.test"],
      error: expect.stringMatching(/^The CA could not connect to www\.shop\.test on port 80/),
      notAfter: before.notAfter,
      product: "gatekeeper",
    });
    expect(Date.parse((event as { nextAttemptAt: string }).nextAttemptAt)).toBeGreaterThan(Date.now());

    const failed = await certificateWhen(shopCertificateId, (c) => !c.ordering && c.lastError !== null);
    expect(failed).toMatchObject({ status: "failed", serialNumber: before.serialNumber });
    expect(failed.lastError).toMatch(/www\.shop\.test/);
    const served = await peerCertificate(proxy.httpsPort, "shop.test", { ca: rootPem, rejectUnauthorized: true });
    expect(served.serialNumber.toUpperCase()).toBe(before.serialNumber);
    expect((await getSecure("shop.test")).status).toBe(200);
    expect((await getSite(shopSiteId)).certificateId).toBe(shopCertificateId);
    await pebble.resetHost("www.shop.test");
  });

  it("warns the webhook once when a certificate nears its expiry", { timeout: LONG }, async () => {
    const { certificate } = await createCertificate({ type: "self-signed", domains: ["old.test"] });
    const notAfter = new Date(Date.now() + 5 * 24 * 60 * 60 * 1000);
    await db().certificate.update({ where: { id: certificate.id }, data: { notAfter } });
    const warning = await eventually(
      async () => events.find((e) => e.event === "certificate.expiring_soon" && e.certificateId === certificate.id),
      (found) => found !== undefined,
      { log },
    );
    expect(warning).toMatchObject({ name: "old.test", domains: ["old.test"], notAfter: notAfter.toISOString() });
    // Later checks do not repeat it.
    const row = await eventually(
      () => db().certificate.findUniqueOrThrow({ where: { id: certificate.id } }),
      (r) => r.expiryNotified !== "",
      { log },
    );
    expect(row.expiryNotified).toBe("14,7");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(events.filter((e) => e.event === "certificate.expiring_soon" && e.certificateId === certificate.id)).toHaveLength(1);
  });
});
