import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "@/lib/services/certificates";
import { appliedRevision } from "@/lib/services/proxy-state";
import { currentRevision } from "@/lib/services/revision";
import { updateAppSettings } from "@/lib/services/settings";
import type { UnknownHost } from "@/lib/schemas/settings";
import { TestCertificateFactory } from "@/test-support/certs";
import { rawExchange, request } from "@/test-support/http-client";
import { eventually } from "@/test-support/proxy-process";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";

/**
 * Requests for a hostname no site has, in each of the unknownHost setting's modes, through the
 * real proxy (primary and two workers) on a real database, over IPv4 and IPv6. The settings are
 * saved as the dashboard saves them; each test waits until the proxy acts on them.
 */
const SITE = "known.test";
const ADDRESSES = ["127.0.0.1", "::1"] as const;
const UPGRADE = (host: string) =>
  `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

let gateway: ProxyOnDatabase;
let backend: SwitchableBackend;
const certs = new TestCertificateFactory();

const get = (host: string, address: string = ADDRESSES[0]) => request({ port: gateway.proxy.httpPort, address, host });

/** The answer, or "dropped" when the connection was cut without one. */
const outcome = (host: string, address?: string) =>
  get(host, address).then(
    (res) => res.status,
    (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? "dropped" : Promise.reject(error)),
  );

/** Saves the setting as the dashboard does, and waits until every worker serves it. */
async function setUnknownHost(setting: UnknownHost): Promise<void> {
  await updateAppSettings({ unknownHost: setting });
  const saved = await currentRevision();
  await eventually(
    () => appliedRevision(),
    (applied) => applied !== null && applied >= saved,
    { log: gateway.proxy.log },
  );
}

function h2Session(address: string): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${address.includes(":") ? `[${address}]` : address}:${gateway.proxy.httpsPort}`, {
      servername: SITE,
      rejectUnauthorized: false,
    });
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

/** One stream's status, or the code it was reset with. */
function h2Outcome(session: http2.ClientHttp2Session, authority: string): Promise<number | string> {
  return new Promise((resolve) => {
    const stream = session.request({ ":path": "/", ":authority": authority });
    stream.on("response", (headers) => {
      stream.resume();
      stream.on("end", () => resolve(Number(headers[":status"])));
    });
    stream.on("close", () => {
      if (stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) resolve(`reset ${stream.rstCode}`);
    });
  });
}

beforeAll(async () => {
  backend = await startSwitchableBackend("A");
  // "::" takes IPv6 and IPv4 connections alike.
  gateway = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  const material = certs.selfSigned([SITE]);
  const { certificate } = await createCertificate({ type: "upload", certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem });
  await gateway.addSite({
    name: "Known",
    hostnames: [SITE],
    upstreams: [{ url: backend.url }],
    certificateId: certificate.id,
    healthCheck: { enabled: false },
  });
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
  certs.cleanup();
});

describe("requests for a hostname no site has", () => {
  it("get the built-in 404 page by default, over IPv4 and IPv6", async () => {
    for (const address of ADDRESSES) {
      const res = await get("nobody.test", address);
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.body).toContain("404 Not Found");
      expect(await get(SITE, address)).toMatchObject({ status: 200, body: "A" });
    }
  });

  it("get the page given for them, to requests and upgrades", async () => {
    const page = "<!doctype html><h1>Nothing here yet</h1>";
    await setUnknownHost({ action: "not_found", page });
    for (const address of ADDRESSES) {
      const res = await get("nobody.test", address);
      expect(res.status).toBe(404);
      expect(res.body).toBe(page);
      expect(res.headers).toMatchObject({
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
    }
    const socket = await rawExchange(gateway.proxy.httpPort, UPGRADE("nobody.test"));
    expect(socket).toMatch(/^HTTP\/1\.1 404 /);
    expect(socket.endsWith(page)).toBe(true);
  });

  it("are redirected to the address given, exactly as given", async () => {
    const to = "https://www.example.com/welcome?from=proxy";
    await setUnknownHost({ action: "redirect", redirectTo: to });
    for (const address of ADDRESSES) {
      const res = await get("nobody.test", address);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(to);
      expect(await get(SITE, address)).toMatchObject({ status: 200, body: "A" });
    }
    const socket = await rawExchange(gateway.proxy.httpPort, UPGRADE("nobody.test"), { address: "::1" });
    expect(socket).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
    expect(socket).toContain(`\r\nlocation: ${to}\r\n`);
  });

  it("get no answer at all when dropped, while known names are served as always", async () => {
    await setUnknownHost({ action: "drop" });
    for (const address of ADDRESSES) {
      expect(await outcome("nobody.test", address)).toBe("dropped");
      expect(await outcome("", address)).toBe("dropped");
      expect(await get(SITE, address)).toMatchObject({ status: 200, body: "A" });
      // An upgrade's socket is closed without a byte.
      expect(await rawExchange(gateway.proxy.httpPort, UPGRADE("nobody.test"), { address })).toBe("");
    }
  });

  it("over HTTP/2, reset only the stream that named an unknown host when dropped", async () => {
    await setUnknownHost({ action: "drop" });
    for (const address of ADDRESSES) {
      const session = await h2Session(address);
      try {
        expect(await h2Outcome(session, "nobody.test")).toBe(`reset ${http2.constants.NGHTTP2_CANCEL}`);
        // The connection stays for the names it may carry.
        expect(await h2Outcome(session, SITE)).toBe(200);
      } finally {
        session.close();
      }
    }
  });

  it("get the built-in 404 page again once not_found is chosen", async () => {
    await setUnknownHost({ action: "not_found" });
    const res = await get("nobody.test", "::1");
    expect(res.body).toContain("404 Not Found");
  });
});
