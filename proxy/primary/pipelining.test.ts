import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import type { ProxyProcess } from "@/test-support/proxy-process";

/**
 * Pipelined requests through the real proxy: answered in order, one at a time, and never left counted as in flight when the client goes away.
 */
let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let upstream: http.Server;
let connections = 0;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  upstream = http.createServer({ keepAlive: true }, (req, res) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.end(`answer to ${req.url}`);
    }, 2);
  });
  upstream.on("connection", () => (connections += 1));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  // One worker: the in-flight count at shutdown is then that worker's, read from its log.
  product = await startProxyOnDatabase({ workers: 1, env: { LOG_LEVEL: "info" } });
  proxy = product.proxy;
  await product.addSite({
    name: "Pipelined",
    hostnames: ["pipelined.test"],
    upstreams: [{ url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` }],
  });
}, 60_000);

afterAll(async () => {
  await product?.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

const pipelined = (count: number, close: boolean) =>
  Array.from({ length: count }, (_, index) => {
    const last = close && index === count - 1;
    return `GET /r${index} HTTP/1.1\r\nHost: pipelined.test\r\n${last ? "Connection: close\r\n" : ""}\r\n`;
  }).join("");

describe("pipelining", () => {
  it("answers 100 pipelined requests in order over one upstream connection, one at a time", async () => {
    const before = connections;
    mostInFlight = 0;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(proxy.httpPort, "127.0.0.1", () => socket.write(pipelined(100, true)));
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    const bodies = [...answer.matchAll(/answer to (\/r\d+)/g)].map((match) => match[1]);
    expect(bodies).toEqual(Array.from({ length: 100 }, (_, index) => `/r${index}`));
    expect(mostInFlight).toBe(1);
    // One at a time; undici's pool keeps a second connection warm and alternates between the two.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it("counts nothing as in flight once clients that pipelined have gone: the worker stops at once", async () => {
    // Clients that pipeline and hang up before their answers come.
    await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<void>((resolve) => {
            const socket = net.connect(proxy.httpPort, "127.0.0.1", () => {
              socket.write(pipelined(50, false));
              setTimeout(() => socket.destroy(), 20);
            });
            socket.on("close", () => resolve());
            socket.on("error", () => undefined);
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = Date.now();
    await proxy.stop();
    expect(proxy.log()).toMatch(/worker stopping/);
    // The data plane logs this, with the count, only when something is still in flight.
    expect(proxy.log()).not.toContain('"msg":"draining in-flight requests"');
    expect(Date.now() - stopped).toBeLessThan(8_000);
  });
});
