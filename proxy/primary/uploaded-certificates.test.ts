import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { X509Certificate } from "node:crypto";
import { createCertificate } from "@/lib/services/certificates";
import { getSite } from "@/lib/services/sites";
import { startBackend, type Backend } from "@/test-support/backend";
import { TestCertificateFactory, type TestKeyType } from "@/test-support/certs";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import type { ProxyProcess } from "@/test-support/proxy-process";

/**
 * Uploaded certificates of every key type people have, through the whole product: uploaded with
 * the certificates service (validated, key sealed at rest), assigned to a site, applied by the
 * real proxy process, and shown to real TLS clients of both versions, on IPv4 and IPv6.
 */
const KEY_TYPES: TestKeyType[] = ["rsa-2048", "rsa-3072", "rsa-4096", "ec-p256", "ec-p384"];

let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let backend: Backend;
const certs = new TestCertificateFactory();
const uploaded = new Map<TestKeyType, { siteId: string; fingerprint256: string }>();

beforeAll(async () => {
  backend = await startBackend({ name: "tls-app" });
  // "::" takes IPv6 and IPv4 connections alike.
  product = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  proxy = product.proxy;
  for (const keyType of KEY_TYPES) {
    const hostname = `${keyType}.certs.test`;
    const material = certs.selfSigned([hostname], keyType);
    const { certificate } = await createCertificate({
      type: "upload",
      certificatePem: material.certificatePem,
      privateKeyPem: material.privateKeyPem,
    });
    const site = await product.addSite({ name: keyType, hostnames: [hostname], upstreams: [{ url: backend.url }], certificateId: certificate.id });
    uploaded.set(keyType, { siteId: site.id, fingerprint256: new X509Certificate(material.certificatePem).fingerprint256 });
  }
}, 120_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
  certs.cleanup();
});

function presented(host: string, servername: string, version: tls.SecureVersion): Promise<{ fingerprint256: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host, port: proxy.httpsPort, servername, minVersion: version, maxVersion: version, rejectUnauthorized: false },
      () => {
        const certificate = socket.getPeerX509Certificate();
        resolve({ fingerprint256: certificate?.fingerprint256 ?? "(none)", protocol: socket.getProtocol() });
        socket.destroy();
      },
    );
    socket.on("error", reject);
  });
}

describe("uploaded certificates", () => {
  for (const keyType of KEY_TYPES) {
    it.each([
      ["127.0.0.1", "TLSv1.3"],
      ["127.0.0.1", "TLSv1.2"],
      ["::1", "TLSv1.3"],
      ["::1", "TLSv1.2"],
    ] as const)(`serves the ${keyType} certificate to %s over %s`, async (host, version) => {
      const answer = await presented(host, `${keyType}.certs.test`, version);
      expect(answer.protocol).toBe(version);
      expect(answer.fingerprint256).toBe(uploaded.get(keyType)!.fingerprint256);
    });
  }

  it("shows each site as applied with no error once the proxy has checked what it presents", async () => {
    for (const [keyType, { siteId }] of uploaded) {
      const site = await getSite(siteId);
      expect(site.status, keyType).toMatchObject({ applied: true, error: null });
    }
  });

  it("refuses a client's renegotiation (TLS 1.2)", async () => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port: proxy.httpsPort,
      servername: "rsa-2048.certs.test",
      maxVersion: "TLSv1.2",
      rejectUnauthorized: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.on("error", (error) => resolve(`error: ${error.message}`));
      socket.on("close", () => resolve("closed"));
      const started = socket.renegotiate({ rejectUnauthorized: false }, (error) => resolve(error ? `error: ${error.message}` : "renegotiated"));
      if (!started) resolve("not started");
    });
    socket.destroy();
    expect(outcome).not.toBe("renegotiated");
    expect(outcome).toMatch(/no renegotiation|closed|error/i);
  });
});
