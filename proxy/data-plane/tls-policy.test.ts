import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";

/** Real handshakes against the data plane: what each TLS policy lets a client negotiate. */
describe("TLS policy", () => {
  let backend: Backend;
  let proxy: RunningDataPlane;
  const certs = new TestCertificateFactory();

  beforeAll(async () => {
    backend = await startBackend({ name: "app" });
    const certificate = certs.selfSigned(["*.tls.test"]);
    proxy = await startDataPlane();
    const result = proxy.plane.apply(
      testSnapshot(
        1,
        [
          testSite({ id: "old", hostnames: ["old.tls.test"], upstreams: [backend.url], certificateId: "c" }),
          testSite({ id: "new", hostnames: ["new.tls.test"], upstreams: [backend.url], certificateId: "c", tlsPolicy: "modern" }),
        ],
        [testCertificate("c", certificate)],
      ),
    );
    expect(result).toMatchObject({ ok: true, siteErrors: {} });
  });
  afterAll(async () => {
    await proxy?.close();
    await backend?.close();
    certs.cleanup();
  });

  function handshake(servername: string, options: tls.ConnectionOptions = {}): Promise<{ protocol: string | null; cipher: string }> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port: proxy.httpsPort, servername, rejectUnauthorized: false, ...options }, () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name });
        socket.end();
      });
      socket.on("error", reject);
    });
  }

  it("intermediate: TLS 1.3, and TLS 1.2 with forward-secret AEAD ciphers only", async () => {
    expect((await handshake("old.tls.test")).protocol).toBe("TLSv1.3");
    const tls12 = await handshake("old.tls.test", { maxVersion: "TLSv1.2" });
    expect(tls12.protocol).toBe("TLSv1.2");
    expect(tls12.cipher).toMatch(/^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
  });

  it.each(["AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA256"])(
    "intermediate refuses the TLS 1.2 cipher %s",
    async (cipher) => {
      await expect(handshake("old.tls.test", { maxVersion: "TLSv1.2", ciphers: cipher })).rejects.toThrow();
    },
  );

  it.each(["TLSv1", "TLSv1.1"] as const)("refuses %s everywhere", async (version) => {
    await expect(handshake("old.tls.test", { minVersion: version, maxVersion: version, ciphers: "ALL:@SECLEVEL=0" })).rejects.toThrow();
  });

  it("modern: TLS 1.3 only, refused in the handshake for a TLS 1.2 client", async () => {
    expect((await handshake("new.tls.test")).protocol).toBe("TLSv1.3");
    await expect(handshake("new.tls.test", { maxVersion: "TLSv1.2" })).rejects.toThrow();
    // The other site on the same port keeps TLS 1.2.
    expect((await handshake("old.tls.test", { maxVersion: "TLSv1.2" })).protocol).toBe("TLSv1.2");
  });

  it("offers only X25519, P-256 and P-384 for the key exchange", async () => {
    await expect(handshake("old.tls.test", { ecdhCurve: "secp521r1" })).rejects.toThrow();
    expect((await handshake("old.tls.test", { ecdhCurve: "prime256v1" })).protocol).toBe("TLSv1.3");
  });
});

describe("TLS session resumption across workers", () => {
  const certs = new TestCertificateFactory();
  let backend: Backend;
  let first: RunningDataPlane;
  let second: RunningDataPlane;

  beforeAll(async () => {
    backend = await startBackend({ name: "app" });
    const certificate = certs.selfSigned(["resume.test"]);
    const snapshot = testSnapshot(
      1,
      [testSite({ id: "r", hostnames: ["resume.test"], upstreams: [backend.url], certificateId: "c" })],
      [testCertificate("c", certificate)],
    );
    // Two data planes stand for two workers of one proxy.
    [first, second] = await Promise.all([startDataPlane(), startDataPlane()]);
    for (const plane of [first, second]) expect(plane.plane.apply(snapshot)).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await backend?.close();
    certs.cleanup();
  });

  /** Makes one request and reports whether the handshake resumed `session`, with the new ticket. */
  function connect(port: number, session?: Buffer): Promise<{ reused: boolean; ticket: Buffer | undefined }> {
    return new Promise((resolve, reject) => {
      let ticket: Buffer | undefined;
      const socket = tls.connect({ host: "127.0.0.1", port, servername: "resume.test", rejectUnauthorized: false, session }, () => {
        socket.write("GET / HTTP/1.1\r\nHost: resume.test\r\nConnection: close\r\n\r\n");
      });
      socket.on("session", (received: Buffer) => (ticket = received));
      socket.on("data", () => undefined);
      // A resumed session may come without a new ticket.
      socket.on("end", () => resolve({ reused: socket.isSessionReused(), ticket }));
      socket.on("error", reject);
    });
  }

  it("resumes on another worker when they share the ticket keys, and not after a rotation", async () => {
    const keys = Buffer.alloc(48, 7);
    first.plane.setTicketKeys(keys);
    second.plane.setTicketKeys(keys);
    const { ticket } = await connect(first.httpsPort);
    expect(ticket).toBeDefined();
    expect((await connect(second.httpsPort, ticket)).reused).toBe(true);

    second.plane.setTicketKeys(Buffer.alloc(48, 9));
    expect((await connect(second.httpsPort, ticket)).reused).toBe(false);
  });
});
