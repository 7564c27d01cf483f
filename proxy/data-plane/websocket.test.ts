import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startBackend, unusedPort, type Backend } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { rawExchange, websocketEcho } from "@/test-support/http-client";
import { testCertificate, testSite, testSnapshot } from "@/test-support/snapshots";

let certs: TestCertificateFactory;
let backend: Backend;
let proxy: RunningDataPlane;

beforeAll(async () => {
  certs = new TestCertificateFactory();
  backend = await startBackend({ name: "ws-backend" });
  const downPort = await unusedPort();
  proxy = await startDataPlane({ fallbackCertificate: certs.selfSigned(["fallback.invalid"]) });
  const result = proxy.plane.apply(
    testSnapshot(
      1,
      [
        testSite({ id: "live", hostnames: ["live.test"], upstreams: [backend.url], certificateId: "c" }),
        testSite({ id: "prefixed", hostnames: ["prefixed.test"], upstreams: [`${backend.url}/socket-base`] }),
        testSite({ id: "static", hostnames: ["static.test"], upstreams: [backend.url], websockets: false }),
        testSite({ id: "down", hostnames: ["down.test"], upstreams: [`http://127.0.0.1:${downPort}`] }),
      ],
      [testCertificate("c", certs.selfSigned(["live.test"]))],
    ),
  );
  expect(result.ok).toBe(true);
});

afterAll(async () => {
  await proxy?.close();
  await backend?.close();
  certs?.cleanup();
});

describe("websockets", () => {
  it("echoes through the proxy over plain HTTP", async () => {
    expect(await websocketEcho({ port: proxy.httpPort, host: "live.test", path: "/chat", message: "hello" })).toBe("ws-backend:hello");
    const seen = backend.upgrades.at(-1)?.headers;
    expect(backend.upgrades.at(-1)?.url).toBe("/chat");
    expect(seen?.upgrade).toBe("websocket");
    expect(seen?.host).toBe("live.test");
    expect(seen?.["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen?.["x-forwarded-proto"]).toBe("http");
  });

  it("echoes through the proxy over HTTPS (wss)", async () => {
    expect(await websocketEcho({ port: proxy.httpsPort, host: "live.test", message: "secure", secure: true })).toBe("ws-backend:secure");
    expect(backend.upgrades.at(-1)?.headers["x-forwarded-proto"]).toBe("https");
  });

  it("forwards upgrades under the upstream's path prefix", async () => {
    await websocketEcho({ port: proxy.httpPort, host: "prefixed.test", path: "/room?id=7", message: "x" });
    expect(backend.upgrades.at(-1)?.url).toBe("/socket-base/room?id=7");
  });

  it("refuses websockets on a site that has them disabled", async () => {
    await expect(websocketEcho({ port: proxy.httpPort, host: "static.test", message: "no" })).rejects.toThrow(/HTTP 400/);
  });

  it("refuses websockets for an unknown host with 404", async () => {
    await expect(websocketEcho({ port: proxy.httpPort, host: "nobody.test", message: "no" })).rejects.toThrow(/HTTP 404/);
  });

  it("answers 502 and closes the client socket when the upstream is down", async () => {
    const raw = await rawExchange(
      proxy.httpPort,
      "GET / HTTP/1.1\r\nHost: down.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    expect(raw).toMatch(/^HTTP\/1\.1 502/);
    expect(raw).not.toContain("127.0.0.1");
  });

  it("keeps serving websockets after those failures", async () => {
    expect(await websocketEcho({ port: proxy.httpPort, host: "live.test", message: "again" })).toBe("ws-backend:again");
  });

  it("keeps an open websocket connected across a config swap", async () => {
    const other = await startBackend({ name: "other-backend" });
    const socket = new WebSocket(`ws://127.0.0.1:${proxy.httpPort}/chat`, { headers: { host: "live.test" } });
    await once(socket, "open");
    const echo = async (text: string) => {
      socket.send(text);
      const [data] = (await once(socket, "message")) as [Buffer];
      return data.toString();
    };
    expect(await echo("before")).toBe("ws-backend:before");

    const swapped = proxy.plane.apply(testSnapshot(2, [testSite({ id: "live", hostnames: ["live.test"], upstreams: [other.url] })], []));
    expect(swapped.ok).toBe(true);
    // New connections go to the new upstream; the open one stays where it was, still working.
    expect(await websocketEcho({ port: proxy.httpPort, host: "live.test", message: "new" })).toBe("other-backend:new");
    expect(await echo("after")).toBe("ws-backend:after");
    socket.close();
    await other.close();
  });
});
