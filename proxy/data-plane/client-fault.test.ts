import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type Backend } from "@/test-support/backend";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { request } from "@/test-support/http-client";
import { testSite, testSnapshot } from "@/test-support/snapshots";

/** Who is to blame when a request with a body goes wrong: the client's faults never bench an upstream. */
describe("client faults and upstream health", () => {
  let one: Backend;
  let two: Backend;
  let proxy: RunningDataPlane;

  beforeAll(async () => {
    [one, two] = await Promise.all([startBackend({ name: "one" }), startBackend({ name: "two" })]);
    proxy = await startDataPlane({
      // The upstream timeout is shorter than the body deadline: a stalled body must still be the client's fault.
      timeouts: { proxyTimeoutMs: 300, bodyTimeoutMs: 1_000 },
      passiveHealth: { failureThreshold: 2, coolDownMs: 60_000 },
    });
    // Two upstreams, round robin: while neither is benched, consecutive requests alternate.
    proxy.plane.apply(testSnapshot(1, [testSite({ id: "pair", hostnames: ["pair.test"], upstreams: [one.url, two.url] })]));
  });
  afterAll(async () => {
    await proxy?.close();
    await one?.close();
    await two?.close();
  });

  /** Which backend answered each of `count` requests in a row. */
  async function answeredBy(count: number, path: string): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await request({ port: proxy.httpPort, host: "pair.test", path });
      expect(res.status).toBe(200);
      names.push((JSON.parse(res.body) as { backend: string }).backend);
    }
    return names;
  }

  /** Sends headers and part of a body, then nothing; answers what the proxy said and closes. */
  function stallBody(): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(proxy.httpPort, "127.0.0.1", () =>
        socket.write("POST /upload HTTP/1.1\r\nHost: pair.test\r\nContent-Length: 100\r\n\r\n0123456789"),
      );
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
        if (text.includes("\r\n\r\n")) socket.destroy();
      });
      socket.on("close", () => resolve(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? "(no answer)"));
      socket.on("error", () => undefined);
    });
  }

  it("does not count a stalled request against the upstream: the client gets 408", async () => {
    for (let i = 0; i < 4; i++) expect(await stallBody()).toBe("408");
    // Nothing benched: both upstreams still take turns.
    expect(new Set(await answeredBy(4, "/still-up"))).toEqual(new Set(["one", "two"]));
  });

  it("does count it for complete requests: an upstream that hangs is benched", async () => {
    for (let i = 0; i < 4; i++) expect((await request({ port: proxy.httpPort, host: "pair.test", path: "/hang" })).status).toBe(504);
    // One of them reached the threshold while the other was usable and is benched; the other,
    // the last usable one, is never benched (nginx's rule) and now takes every request.
    expect(new Set(await answeredBy(4, "/now")).size).toBe(1);
  });
});

describe("a slow upstream is not the client's fault", () => {
  let upstream: http.Server;
  let proxy: RunningDataPlane;

  beforeAll(async () => {
    // Reads nothing of the body for a second, then all of it.
    upstream = http.createServer((req, res) => {
      req.pause();
      setTimeout(() => {
        let size = 0;
        req.on("data", (chunk: Buffer) => (size += chunk.length));
        req.on("end", () => res.end(String(size)));
        req.resume();
      }, 1_000);
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    proxy = await startDataPlane({ timeouts: { bodyTimeoutMs: 300, bodyMinBytesPerSecond: 100 } });
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    proxy.plane.apply(testSnapshot(1, [testSite({ id: "slow", hostnames: ["slow.test"], upstreams: [url] })]));
  });
  afterAll(async () => {
    await proxy?.close();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it("lets a fast client's large body wait for an upstream that takes its time", async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, "z");
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: proxy.httpPort, method: "POST", path: "/big", headers: { host: "slow.test", "content-length": body.length } },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(answer).toEqual({ status: 200, text: String(body.length) });
  });
});
