import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificateFactory, type TestCertificate } from "@/test-support/certs";
import { testCertificate, testCertificateMaterial, testSite, testSnapshot } from "@/test-support/snapshots";
import { compileSnapshot } from "../runtime/compile-snapshot";
import type { ProxyRuntime } from "../runtime/runtime-types";
import { BasicAuthVerifier } from "../security/basic-auth";
import { CertificateCheck, type PresentCertificate } from "./certificate-check";
import { CertificateStore, contextOrFallback } from "./certificate-store";
import { TlsFront } from "./tls-front";

const certs = new TestCertificateFactory();
let ecDefault: TestCertificate;
let rsaSite: TestCertificate;
let ecSite: TestCertificate;
let runtime: ProxyRuntime;
afterAll(() => certs.cleanup());

beforeAll(() => {
  ecDefault = certs.selfSigned(["default.invalid"]);
  rsaSite = certs.selfSigned(["rsa.test"], "rsa-2048");
  ecSite = certs.selfSigned(["ec.test", "*.ec.test"], "ec-p384");
  const compiled = compileSnapshot(
    testSnapshot(
      1,
      [
        testSite({ id: "rsa", hostnames: ["rsa.test"], upstreams: ["http://127.0.0.1:9"], certificateId: "rsa" }),
        testSite({ id: "ec", hostnames: ["*.ec.test"], upstreams: ["http://127.0.0.1:9"], certificateId: "ec", tlsPolicy: "modern" }),
        testSite({ id: "plain", hostnames: ["plain.test"], upstreams: ["http://127.0.0.1:9"] }),
      ],
      [testCertificate("rsa", rsaSite), testCertificate("ec", ecSite)],
    ),
    { previous: null, verifier: new BasicAuthVerifier() },
  );
  if (!compiled.ok) throw new Error(compiled.error);
  runtime = compiled.runtime;
});

/** Real handshakes over TCP against a server: what a visitor's browser would be shown. */
async function overTcp(server: https.Server): Promise<{ present: PresentCertificate; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const present: PresentCertificate = (servername, version) =>
    new Promise((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port, servername, minVersion: version, maxVersion: version, rejectUnauthorized: false }, () => {
        const certificate = socket.getPeerX509Certificate()!;
        socket.destroy();
        resolve({ fingerprint256: certificate.fingerprint256, names: certificate.subjectAltName ?? "" });
      });
      socket.on("error", reject);
    });
  return { present, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("CertificateCheck", () => {
  it("reports a site whose visitors get another certificate: the EC default next to an RSA site", async () => {
    // How the proxy's HTTPS servers were built before: a default certificate, sites through SNI.
    const contexts = new Map([
      ["rsa.test", tls.createSecureContext({ cert: rsaSite.certificatePem, key: rsaSite.privateKeyPem })],
      ["gatekeeper-check.ec.test", tls.createSecureContext({ cert: ecSite.certificatePem, key: ecSite.privateKeyPem })],
    ]);
    const server = https.createServer({
      cert: ecDefault.certificatePem,
      key: ecDefault.privateKeyPem,
      SNICallback: (name, callback) => callback(null, contexts.get(name)),
    });
    const tcp = await overTcp(server);
    try {
      const result = await new CertificateCheck(tcp.present).run(runtime);
      expect(Object.keys(result.failed)).toEqual(["rsa"]);
      expect(result.failed.rsa).toMatch(
        /^HTTPS visitors of rsa\.test are shown the certificate for DNS:default\.invalid instead of this site's certificate \(TLS 1\.[23]\)/,
      );
      // The EC site on the same server is fine: its own certificate wins.
      expect(result.passed).toEqual(["ec"]);
    } finally {
      await tcp.close();
    }
  });

  /** The proxy's own TLS front, its certificates built as a worker builds them. */
  function proxyFront(store: CertificateStore): TlsFront {
    return new TlsFront({
      http1: { headersTimeout: 0, requestTimeout: 0, keepAliveTimeout: 5_000 },
      contextFor: (name) => {
        const certificate = runtime.sni.certificateFor(name);
        return certificate === null ? undefined : contextOrFallback(store.context(certificate), undefined);
      },
      policyFor: (name) => runtime.router.matchHostname(name)?.tlsPolicy ?? "intermediate",
      handshakeTimeoutMs: 5_000,
    });
  }

  it("passes every site on the proxy's own TLS front, RSA and EC alike, and checks a site again only when it changes", async () => {
    const front = proxyFront(new CertificateStore(testCertificateMaterial));
    front.setFallback(ecDefault);
    let handshakes = 0;
    const check = new CertificateCheck((name, version) => {
      handshakes += 1;
      return front.presentedCertificate(name, version);
    });
    expect(await check.run(runtime)).toEqual({ failed: {}, passed: ["rsa", "ec"] });
    // TLS 1.3 and 1.2 for the intermediate site, TLS 1.3 for the modern one; the site without a certificate has none to check.
    expect(handshakes).toBe(3);
    expect(await check.run(runtime)).toEqual({ failed: {}, passed: [] });
    expect(handshakes).toBe(3);
  });

  it("names what is wrong with a certificate that cannot be used, and falls back meanwhile", async () => {
    const mismatched = certs.mismatchedKey(["rsa.test"]);
    const store = new CertificateStore(async (id) => ({
      ...(await testCertificateMaterial(id)),
      ...(id === "rsa" ? { privateKeyPem: mismatched.privateKeyPem } : {}),
    }));
    const front = proxyFront(store);
    front.setFallback(ecDefault);
    const result = await new CertificateCheck(
      (name, version) => front.presentedCertificate(name, version),
      (certificate) => store.problemOf(certificate),
    ).run(runtime);
    expect(result.failed).toEqual({ rsa: "The certificate for this site cannot be used: The private key does not belong to this certificate." });
    expect(result.passed).toEqual(["ec"]);
  });

  it("says so when the handshake fails altogether", async () => {
    // A front that has no certificate at all to present.
    const front = new TlsFront({
      http1: { headersTimeout: 0, requestTimeout: 0, keepAliveTimeout: 5_000 },
      contextFor: () => undefined,
      policyFor: () => "intermediate",
      handshakeTimeoutMs: 5_000,
    });
    const result = await new CertificateCheck((name, version) => front.presentedCertificate(name, version)).run(runtime);
    expect(result.failed.rsa).toMatch(/^HTTPS for rsa\.test does not work: the TLS 1\.3 handshake failed \(ERR_SSL_[A-Z0-9_]+\)\.$/);
    expect(result.failed.ec).toMatch(/^HTTPS for gatekeeper-check\.ec\.test does not work/);
    expect(result.passed).toEqual([]);
  });
});
