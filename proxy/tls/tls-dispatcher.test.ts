import https from "node:https";
import net from "node:net";
import type tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificateFactory } from "@/test-support/certs";
import { createTlsDispatcher } from "./tls-dispatcher";
import { tlsPolicyOptions } from "./tls-policy";

describe("createTlsDispatcher", () => {
  let front: net.Server;
  let port: number;
  let backend: https.Server;
  const certs = new TestCertificateFactory();

  beforeAll(async () => {
    const { certificatePem, privateKeyPem } = certs.selfSigned(["*.example.test"]);
    const serve = (label: string) => (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) =>
      res.end(`${label} ${(req.socket as tls.TLSSocket).getProtocol()}`);
    const keys = { cert: certificatePem, key: privateKeyPem };
    const intermediate = https.createServer({ ...keys, ...tlsPolicyOptions("intermediate") }, serve("intermediate"));
    const modern = https.createServer({ ...keys, ...tlsPolicyOptions("modern") }, serve("modern"));
    // A TLS server of its own, reached byte for byte: what a pass-through site's upstream is.
    backend = https.createServer({ ...keys }, serve("backend"));
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    const passThrough = (name: string, socket: net.Socket) => {
      if (name !== "pass.example.test") return false;
      const upstream = net.connect((backend.address() as net.AddressInfo).port, "127.0.0.1");
      socket.pipe(upstream).pipe(socket);
      socket.resume();
      return true;
    };
    front = net.createServer(
      createTlsDispatcher({ pick: (name) => (name === "modern.example.test" ? modern : intermediate), passThrough, helloTimeoutMs: 300 }),
    );
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    port = (front.address() as net.AddressInfo).port;
  });
  afterAll(() => {
    front.close();
    backend.close();
    certs.cleanup();
  });

  function get(servername: string, maxVersion: tls.SecureVersion): Promise<string> {
    return new Promise((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, servername, headers: { host: servername }, rejectUnauthorized: false, maxVersion, agent: false }, (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => resolve(body));
        })
        .on("error", reject);
    });
  }

  it("hands each connection to the server of its name's policy", async () => {
    expect(await get("shop.example.test", "TLSv1.3")).toBe("intermediate TLSv1.3");
    expect(await get("shop.example.test", "TLSv1.2")).toBe("intermediate TLSv1.2");
    expect(await get("modern.example.test", "TLSv1.3")).toBe("modern TLSv1.3");
  });

  it("gives a pass-through name's connection, ClientHello first, to whoever takes it; other names still go to the servers", async () => {
    expect(await get("pass.example.test", "TLSv1.3")).toBe("backend TLSv1.3");
    expect(await get("pass.example.test", "TLSv1.2")).toBe("backend TLSv1.2");
    expect(await get("shop.example.test", "TLSv1.3")).toBe("intermediate TLSv1.3");
  });

  it("refuses TLS 1.2 in the handshake for a TLS 1.3-only name", async () => {
    await expect(get("modern.example.test", "TLSv1.2")).rejects.toMatchObject({ code: expect.stringMatching(/EPROTO|ECONNRESET/) });
  });

  it("drops a client that never finishes its ClientHello", async () => {
    const socket = net.connect(port, "127.0.0.1");
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])); // a record promising 512 bytes
    const closedAfter = await new Promise<number>((resolve) => {
      const started = Date.now();
      socket.on("close", () => resolve(Date.now() - started));
      socket.on("error", () => undefined);
    });
    expect(closedAfter).toBeGreaterThanOrEqual(250);
  });
});
