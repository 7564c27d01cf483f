import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * A large answer to a client that reads slower than the upstream sends: the proxy stops reading the
 * upstream while the client's socket is full and goes on when it drains, so the answer arrives
 * whole and in order, through the real proxy (primary and workers).
 */
const CHUNK = Buffer.alloc(64 * 1024);
for (let index = 0; index < CHUNK.length; index++) CHUNK[index] = (index * 31 + 7) % 251;
const CHUNKS = 128; // 8 MiB: more than the kernel buffers of both connections hold
const expected = createHash("sha256");
for (let index = 0; index < CHUNKS; index++) expected.update(CHUNK);
const EXPECTED_SHA256 = expected.digest("hex");

let product: ProxyOnDatabase;
let upstream: http.Server;

beforeAll(async () => {
  upstream = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": CHUNK.length * CHUNKS });
    let sent = 0;
    const more = (): void => {
      while (sent < CHUNKS) {
        sent += 1;
        if (!res.write(CHUNK)) return void res.once("drain", more);
      }
      res.end();
    };
    more();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  product = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::" } });
  await product.addSite({
    name: "Downloads",
    hostnames: ["downloads.test"],
    upstreams: [{ url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` }],
    healthCheck: { enabled: false },
  });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe("a client that reads slowly", () => {
  it.each(["127.0.0.1", "::1"])("from %s gets a large answer whole once it reads on", async (address) => {
    const { status, bytes, sha256 } = await new Promise<{ status: number; bytes: number; sha256: string }>((resolve, reject) => {
      const req = http.get(
        { host: address, port: product.proxy.httpPort, path: "/big", headers: { host: "downloads.test" }, agent: false },
        (res) => {
          const hash = createHash("sha256");
          let bytes = 0;
          res.pause();
          void sleep(500).then(() => {
            res.on("data", (chunk: Buffer) => {
              bytes += chunk.length;
              hash.update(chunk);
              // A slow reader: a pause now and then keeps the proxy's side of the socket full.
              if (bytes % (1024 * 1024) < chunk.length) {
                res.pause();
                setTimeout(() => res.resume(), 20);
              }
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest("hex") }));
            res.resume();
          });
        },
      );
      req.on("error", reject);
    });
    expect(status).toBe(200);
    expect(bytes).toBe(CHUNK.length * CHUNKS);
    expect(sha256).toBe(EXPECTED_SHA256);
  });
});
