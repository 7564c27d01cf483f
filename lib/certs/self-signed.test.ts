import { once } from "node:events";
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { inspectCertificate } from "./inspect";
import { generateSelfSigned } from "./self-signed";
import { validateUpload } from "./validate-upload";

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

describe("generateSelfSigned", () => {
  it("makes a P-256 certificate for every domain, CN = first domain, for server auth", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const { certificatePem, privateKeyPem } = await generateSelfSigned(["App.Example.com", "*.example.com", "10.1.2.3"], {
      days: 30,
      now,
    });
    const cert = new X509Certificate(certificatePem);
    const key = createPrivateKey(privateKeyPem);
    expect(key.asymmetricKeyType).toBe("ec");
    expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.subject).toBe("CN=app.example.com");
    expect(cert.subjectAltName).toBe("DNS:app.example.com, DNS:*.example.com, IP Address:10.1.2.3");
    expect(cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(cert.ca).toBe(false);
    expect(cert.checkHost("app.example.com")).toBe("app.example.com");
    expect(cert.checkIP("10.1.2.3")).toBe("10.1.2.3");
    const info = inspectCertificate(certificatePem);
    expect(info.notAfter.toISOString()).toBe("2030-01-31T00:00:00.000Z");
    expect(info.notBefore.getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it("defaults to 365 days from now", async () => {
    const before = Date.now();
    const info = inspectCertificate((await generateSelfSigned(["example.com"])).certificatePem);
    const days = (info.notAfter.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(364.99);
    expect(days).toBeLessThan(365.01);
  });

  it("refuses names that are not hostnames, and an empty list", async () => {
    await expect(generateSelfSigned([])).rejects.toThrow(/at least one domain/);
    await expect(generateSelfSigned(["https://example.com/"])).rejects.toThrow(/leave out the scheme/);
    await expect(generateSelfSigned(["example.com"], { days: 0 })).rejects.toThrow(/positive/);
  });

  it("is accepted by tls.createSecureContext", async () => {
    const { certificatePem, privateKeyPem } = await generateSelfSigned(["example.com"]);
    expect(() => tls.createSecureContext({ cert: certificatePem, key: privateKeyPem })).not.toThrow();
  });

  it("serves a real TLS handshake that a client trusting it verifies", async () => {
    const { certificatePem, privateKeyPem } = await generateSelfSigned(["localhost.example", "example.com"]);
    const server = tls.createServer({ cert: certificatePem, key: privateKeyPem }, (socket) => socket.end("hello"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const socket = tls.connect({ host: "127.0.0.1", port, servername: "example.com", ca: certificatePem });
      await once(socket, "secureConnect");
      expect(socket.authorized).toBe(true);
      socket.destroy();
    } finally {
      server.close();
    }
  });

  it("passes validateUpload with only the self-signed warning", async () => {
    const now = new Date();
    const { certificatePem, privateKeyPem } = await generateSelfSigned(["example.com", "www.example.com"], { now });
    const result = validateUpload({ certificatePem, privateKeyPem }, { now, hostnames: ["www.example.com"] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/self-signed/);
    expect(result.certificate.certificatePem).toBe(certificatePem);
    expect(result.certificate.chainPem).toBe("");
  });
});
