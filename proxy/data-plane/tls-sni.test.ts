import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { TestCertificateFactory, type TestCertificate } from "@/test-support/certs";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { peerCertificate, request } from "@/test-support/http-client";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";

let certs: TestCertificateFactory;
let backend: Backend;
let tlsBackend: Backend;
let proxy: RunningDataPlane;
let chained: TestCertificate & { caPem: string };

beforeAll(async () => {
  certs = new TestCertificateFactory();
  backend = await startBackend({ name: "plain" });
  tlsBackend = await startBackend({ name: "tls-upstream", tls: certs.selfSigned(["upstream.internal"]) });
  chained = certs.caSigned(["beta.test", "www.beta.test"]);
  proxy = await startDataPlane({ fallbackCertificate: certs.selfSigned(["fallback.invalid"]) });
  const result = proxy.plane.apply(
    testSnapshot(
      1,
      [
        testSite({ id: "alpha", hostnames: ["alpha.test"], upstreams: [backend.url], certificateId: "alpha" }),
        testSite({ id: "beta", hostnames: ["beta.test", "www.beta.test"], upstreams: [backend.url], certificateId: "beta" }),
        testSite({ id: "wild", hostnames: ["*.wild.test"], upstreams: [backend.url], certificateId: "wild" }),
        testSite({ id: "no-cert", hostnames: ["plain.test"], upstreams: [backend.url] }),
        testSite({ id: "tls-lax", hostnames: ["lax.test"], upstreams: [tlsBackend.url], verifyUpstreamTls: false }),
        testSite({ id: "tls-strict", hostnames: ["strict.test"], upstreams: [tlsBackend.url], verifyUpstreamTls: true }),
      ],
      [
        testCertificate("alpha", certs.selfSigned(["alpha.test"])),
        testCertificate("beta", chained),
        testCertificate("wild", certs.selfSigned(["*.wild.test"])),
      ],
    ),
  );
  expect(result).toMatchObject({ ok: true, siteErrors: {} });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.close();
  await tlsBackend?.close();
  certs?.cleanup();
});

describe("TLS with SNI", () => {
  it.each([
    ["alpha.test", "alpha.test", "DNS:alpha.test"],
    ["beta.test", "beta.test", "DNS:beta.test, DNS:www.beta.test"],
    ["www.beta.test", "beta.test", "DNS:beta.test, DNS:www.beta.test"],
    ["shop.wild.test", "*.wild.test", "DNS:*.wild.test"],
    ["unknown.test", "fallback.invalid", "DNS:fallback.invalid"],
    ["plain.test", "fallback.invalid", "DNS:fallback.invalid"],
  ])("serves %s the certificate for %s", async (servername, commonName, san) => {
    const certificate = await peerCertificate(proxy.httpsPort, servername);
    expect(certificate.subject.CN).toBe(commonName);
    expect(certificate.subjectaltname).toBe(san);
  });

  it("serves the fallback certificate to clients that send no SNI", async () => {
    const certificate = await peerCertificate(proxy.httpsPort, undefined);
    expect(certificate.subject.CN).toBe("fallback.invalid");
  });

  it("sends the certificate chain, so that clients trusting only the CA can verify", async () => {
    const certificate = await peerCertificate(proxy.httpsPort, "beta.test");
    expect(certificate.issuerCertificate?.subject.CN).toBe("Proxy Test CA");
    const res = await request({ port: proxy.httpsPort, host: "beta.test", tls: { ca: chained.caPem } });
    expect(res.status).toBe(200);
  });

  it("accepts TLS 1.2 and 1.3", async () => {
    expect((await peerCertificate(proxy.httpsPort, "alpha.test", { maxVersion: "TLSv1.2" })).protocol).toBe("TLSv1.2");
    expect((await peerCertificate(proxy.httpsPort, "alpha.test")).protocol).toBe("TLSv1.3");
  });

  it("refuses TLS 1.1", async () => {
    // SECLEVEL=0 lets this client really offer TLS 1.1, so the refusal comes from the server.
    await expect(
      peerCertificate(proxy.httpsPort, "alpha.test", {
        minVersion: "TLSv1",
        maxVersion: "TLSv1.1",
        ciphers: "DEFAULT@SECLEVEL=0",
      }),
    ).rejects.toMatchObject({ code: "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION" });
  });

  it("routes HTTPS requests by Host header and tells the upstream it was HTTPS", async () => {
    const res = await request({ port: proxy.httpsPort, host: "shop.wild.test", tls: {} });
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as EchoResponse;
    expect(seen.headers["x-forwarded-proto"]).toBe("https");
    expect(seen.headers["x-forwarded-port"]).toBe(String(proxy.httpsPort));
  });
});

describe("HTTPS upstreams", () => {
  it("accepts a self-signed upstream certificate when verification is off", async () => {
    const res = await request({ port: proxy.httpPort, host: "lax.test" });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as EchoResponse).backend).toBe("tls-upstream");
  });

  it("answers 502 when the upstream certificate does not verify", async () => {
    const res = await request({ port: proxy.httpPort, host: "strict.test" });
    expect(res.status).toBe(502);
  });
});
