import net from "node:net";
import tls from "node:tls";
import { beforeAll, describe, expect, it } from "vitest";
import { scanClientHello } from "./client-hello";

/** Captures the exact bytes a real TLS client sends first. */
async function capturedClientHello(options: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  const received = new Promise<Buffer>((resolve) => {
    server.once("connection", (socket) => {
      let data = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (scanClientHello(data).state !== "incomplete" || data.length > 20_000) {
          resolve(data);
          socket.destroy();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const client = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, ...options });
  client.on("error", () => undefined);
  const data = await received;
  client.destroy();
  server.close();
  return data;
}

describe("scanClientHello", () => {
  let hello: Buffer;
  beforeAll(async () => {
    hello = await capturedClientHello({ servername: "Shop.Example.test" });
  });

  it("reads the server name of a real ClientHello, lower-cased", () => {
    expect(scanClientHello(hello)).toEqual({ state: "done", serverName: "shop.example.test" });
  });

  it("asks for more while the ClientHello is cut short, at any point", () => {
    for (const cut of [1, 3, 5, 9, 60, hello.length - 1]) {
      expect(scanClientHello(hello.subarray(0, cut))).toEqual({ state: "incomplete" });
    }
  });

  it("reads a ClientHello split over two TLS records", () => {
    const body = hello.subarray(5);
    const record = (part: Buffer) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, part.length >> 8, part.length & 255]), part]);
    const split = Buffer.concat([record(body.subarray(0, 40)), record(body.subarray(40))]);
    expect(scanClientHello(split)).toEqual({ state: "done", serverName: "shop.example.test" });
  });

  it("answers null for a client that sends no server name", async () => {
    const bare = await capturedClientHello({});
    expect(scanClientHello(bare)).toEqual({ state: "done", serverName: null });
  });

  it.each([
    ["plain HTTP", Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")],
    ["an alert record", Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])],
    ["a handshake that is not a ClientHello", Buffer.from([0x16, 0x03, 0x03, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00])],
  ])("says not-tls for %s", (_name, data) => {
    expect(scanClientHello(data)).toEqual({ state: "not-tls" });
  });

  it("says not-tls for a ClientHello whose lengths point past its end", () => {
    const damaged = Buffer.from(hello);
    // Session id length claims more bytes than there are.
    damaged[5 + 4 + 2 + 32] = 0xff;
    expect(scanClientHello(damaged).state).toBe("not-tls");
  });

  it("gives up on a handshake that never completes within 16 KiB", () => {
    const header = Buffer.from([0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0xff, 0xff, 0xff]);
    const huge = Buffer.concat([header, Buffer.alloc(16_384 - header.length + 10)]);
    expect(scanClientHello(huge)).toEqual({ state: "not-tls" });
  });
});
