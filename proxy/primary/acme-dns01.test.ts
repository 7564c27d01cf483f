import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rfc2136 } from "@/lib/dns/providers/rfc2136";
import type { Certificate } from "@/lib/schemas/certificate";
import { createCertificate, getCertificate, requestRenewal } from "@/lib/services/certificates";
import { createDnsProvider } from "@/lib/services/dns-providers";
import { createSite, getSite } from "@/lib/services/sites";
import { startBackend, unusedPort, type Backend, type EchoResponse } from "@/test-support/backend";
import { type Bind, startBind } from "@/test-support/bind";
import { useTempDatabase } from "@/test-support/database";
import { peerCertificate, request } from "@/test-support/http-client";
import { startPebble, type Pebble } from "@/test-support/pebble";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";

/**
 * DNS-01 end to end with no mocks: a real BIND serves the zone dns.test and takes RFC 2136 updates
 * signed with TSIG; Pebble validates against that BIND; the real proxy process (primary + workers)
 * runs the orders, waits for the name servers, and serves what is issued by SNI.
 */

let cleanup: () => Promise<void>;
let bind: Bind;
let pebble: Pebble;
let proxy: ProxyProcess;
let backend: Backend;
let rootPem: string;
let providerId: string;

const LONG = 90_000;
const log = () => `${proxy?.log() ?? ""}\n--- pebble ---\n${pebble?.log().slice(-4000) ?? ""}\n--- bind ---\n${bind?.log().slice(-2000) ?? ""}`;
const EMAIL = "admin@dns.test";

const certificateWhen = (id: string, accept: (certificate: Certificate) => boolean) =>
  eventually(() => getCertificate(id), accept, { timeoutMs: LONG, intervalMs: 100, log });
const finished = (certificate: Certificate) =>
  certificate.progress.some((step) => step.step === "installed" && step.state !== "running") ||
  (!certificate.ordering && certificate.lastError !== null);
const getSecure = (host: string) => request({ port: proxy.httpsPort, host, tls: { ca: rootPem, servername: host } });

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  bind = await startBind();
  backend = await startBackend({ name: "zone" });
  pebble = await startPebble({ httpPort: await unusedPort(), dnsServer: bind.server });
  rootPem = await pebble.rootPem();
  proxy = await startProxyProcess({
    env: {
      ACME_DIRECTORY_URL: pebble.directoryUrl,
      ACME_CA_FILE: pebble.caFile,
      DNS_SERVERS: bind.server,
      DNS_AUTHORITATIVE_PORT: String(bind.port),
      ACME_POLL_MS: "200",
    },
  });
  providerId = (
    await createDnsProvider({
      name: "Zone BIND",
      type: "rfc2136",
      settings: { server: bind.server, tsigKeyName: bind.keyName },
      credentials: { tsigSecret: bind.secret },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await proxy?.stop();
  await pebble?.stop();
  await bind?.stop();
  await backend?.close();
  await cleanup?.();
});

describe("DNS-01 through the proxy process, BIND and Pebble", () => {
  let wildcardId: string;

  it("issues a wildcard certificate for *.dns.test and dns.test, serves it by SNI for both, and removes the TXT records", {
    timeout: LONG,
  }, async () => {
    const site = await createSite({ name: "Zone", hostnames: ["*.dns.test", "dns.test"], upstreams: [{ url: backend.url }] });
    const { certificate } = await createCertificate({
      type: "acme",
      domains: ["*.dns.test", "dns.test"],
      email: EMAIL,
      challenge: "dns-01",
      dnsProviderId: providerId,
      siteId: site.id,
    });
    wildcardId = certificate.id;
    const issued = await certificateWhen(certificate.id, finished);

    // The names are worked on at once, so their steps interleave; each name's go in order.
    const steps = issued.progress.map((step) => step.step);
    expect(issued.progress.every((step) => step.state === "done")).toBe(true);
    expect(steps.slice(0, 2)).toEqual(["account", "order"]);
    expect(steps.slice(-4)).toEqual(["validation", "issued", "cleanup", "installed"]);
    for (const name of ["*.dns.test", "dns.test"]) {
      const at = ["record", "seen", "challenge"].map((kind) => steps.indexOf(`${kind} ${name}`));
      expect(at.every((index) => index > 1) && at[0]! < at[1]! && at[1]! < at[2]!, `${name}: ${steps.join(", ")}`).toBe(true);
    }
    expect(steps).toHaveLength(12);
    const step = (name: string) => issued.progress.find((entry) => entry.step === name)?.message;
    expect(step("record *.dns.test")).toMatch(/^Created the TXT record _acme-challenge\.dns\.test "[\w-]{43}" at Zone BIND$/);
    expect(step("seen dns.test")).toBe("ns.dns.test answers it");
    expect(step("cleanup")).toBe("Removed the TXT records from Zone BIND");
    expect(issued).toMatchObject({ status: "valid", challenge: "dns-01", dnsProviderId: providerId, domains: ["*.dns.test", "dns.test"] });
    expect((await getSite(site.id)).certificateId).toBe(certificate.id);
    expect(await bind.txt("_acme-challenge.dns.test")).toEqual([]);

    for (const host of ["a.dns.test", "dns.test"]) {
      const served = await peerCertificate(proxy.httpsPort, host, { ca: rootPem, rejectUnauthorized: true });
      expect(served.serialNumber.toUpperCase()).toBe(issued.serialNumber);
      expect(served.subjectaltname).toBe("DNS:*.dns.test, DNS:dns.test");
      const response = await getSecure(host);
      expect(response.status).toBe(200);
      expect((JSON.parse(response.body) as EchoResponse).backend).toBe("zone");
    }
  });

  it("renews through the same provider, and removes the records again", { timeout: LONG }, async () => {
    const before = await getCertificate(wildcardId);
    await requestRenewal(wildcardId);
    const renewed = await certificateWhen(wildcardId, (c) => c.serialNumber !== before.serialNumber && finished(c));
    expect(renewed.progress.every((step) => step.state === "done")).toBe(true);
    expect(renewed.progress.map((step) => step.step)).toContain("record *.dns.test");
    await eventually(
      () => peerCertificate(proxy.httpsPort, "b.dns.test", { ca: rootPem, rejectUnauthorized: true }),
      (served) => served.serialNumber.toUpperCase() === renewed.serialNumber,
      { log },
    );
    expect(await bind.txt("_acme-challenge.dns.test")).toEqual([]);
  });

  it("fails with a plain message when the TSIG secret is wrong, and tries nothing at the CA", { timeout: LONG }, async () => {
    const wrong = await createDnsProvider({
      name: "Wrong secret",
      type: "rfc2136",
      settings: { server: bind.server, tsigKeyName: bind.keyName },
      credentials: { tsigSecret: Buffer.from("not the secret").toString("base64") },
    });
    const { certificate } = await createCertificate({
      type: "acme",
      domains: ["wrong.dns.test"],
      email: EMAIL,
      challenge: "dns-01",
      dnsProviderId: wrong.id,
    });
    const failed = await certificateWhen(certificate.id, (c) => !c.ordering && c.lastError !== null);
    const message = `The DNS server at ${bind.server} rejected the signature: the TSIG secret of key "acme-key" does not match the server's`;
    expect(failed.lastError).toBe(message);
    expect(failed.progress.find((step) => step.step === "record wrong.dns.test")).toMatchObject({ state: "failed", message });
    expect(failed.progress.map((step) => step.step)).not.toContain("challenge wrong.dns.test");
    await db().certificate.update({ where: { id: certificate.id }, data: { autoRenew: false, nextAttemptAt: new Date(Date.now() + 3_600_000) } });
  });

  it("manual: shows the record to add, waits until the name servers answer it, then validates", { timeout: LONG }, async () => {
    const manual = await createDnsProvider({ name: "By hand", type: "manual" });
    const { certificate } = await createCertificate({
      type: "acme",
      domains: ["hand.dns.test"],
      email: EMAIL,
      challenge: "dns-01",
      dnsProviderId: manual.id,
    });
    const waiting = await certificateWhen(certificate.id, (c) =>
      c.progress.some((step) => step.step === "seen hand.dns.test" && step.state === "running"),
    );
    const shown = waiting.progress.find((step) => step.step === "record hand.dns.test")?.message ?? "";
    const [, fqdn, value] = /^Add this TXT record at your DNS host: (\S+) TXT "([\w-]+)"$/.exec(shown) ?? [];
    expect(fqdn).toBe("_acme-challenge.hand.dns.test");
    expect(value).toHaveLength(43);

    // The person at the DNS host, here through the same BIND.
    const byHand = rfc2136.connect({ server: bind.server, tsigKeyName: bind.keyName, tsigAlgorithm: "hmac-sha256" }, { tsigSecret: bind.secret });
    const record = { fqdn: fqdn!, zone: "dns.test", value: value! };
    await byHand.createTxt(record);
    const issued = await certificateWhen(certificate.id, finished);
    expect(issued.status).toBe("valid");
    expect(issued.progress.find((step) => step.step === "cleanup")?.message).toBe(
      "You can delete the TXT records at _acme-challenge.hand.dns.test now",
    );
    expect(await bind.txt(fqdn!)).toEqual([value]);
    await byHand.deleteTxt(record);
  });
});
