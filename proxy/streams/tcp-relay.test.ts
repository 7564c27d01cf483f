import { createHash, randomBytes } from "node:crypto";
import net, { type AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { UpstreamPool } from "../upstream/upstream-pool";
import { compileSocketGroup } from "./socket-upstreams";
import { TcpRelay, type EndedConnection, type TcpRoute } from "./tcp-relay";

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function listen(server: net.Server, host = "127.0.0.1"): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

/** Hashes all it receives; on the client's half-close it answers with the hash and the byte count, then ends. */
function hashingUpstream(): net.Server {
  return net.createServer({ allowHalfOpen: true }, (socket) => {
    const hash = createHash("sha256");
    let bytes = 0;
    socket.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    socket.on("end", () => socket.end(`${bytes} ${hash.digest("hex")}`));
  });
}

async function relayOn(route: TcpRoute, listenHost = "127.0.0.1") {
  const ended: EndedConnection[] = [];
  const relay = new TcpRelay({
    pool: new UpstreamPool(),
    connectTimeoutMs: 2_000,
    onEnded: (connection) => ended.push(connection),
    logger: pino({ level: "silent" }),
  });
  const port = await listen(
    net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => relay.relay(route, socket)),
    listenHost,
  );
  return { port, ended };
}

function tcpRoute(urls: string[], extra: Partial<TcpRoute> = {}): TcpRoute {
  const group = compileSocketGroup(
    urls.map((url, index) => ({ id: `u${index}`, url, weight: 1 })),
    "round_robin",
    undefined,
  );
  if (typeof group === "string") throw new Error(group);
  return { id: "stream-1", group, proxyProtocol: false, idleTimeoutMs: 10_000, ...extra };
}

/** Sends `payload`, half-closes, and reads everything until the relay closes (a reset is a close). */
function exchange(port: number, payload: Buffer, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.end(payload);
  });
}

describe("TcpRelay", () => {
  it("relays 16 MB intact and passes the client's half-close on, so the upstream can still answer", async () => {
    const upstream = await listen(hashingUpstream());
    const { port, ended } = await relayOn(tcpRoute([`tcp://127.0.0.1:${upstream}`]));
    const payload = randomBytes(16 * 1024 * 1024);
    const answer = await exchange(port, payload);
    expect(answer).toBe(`${payload.length} ${createHash("sha256").update(payload).digest("hex")}`);
    await expect.poll(() => ended.length).toBe(1);
    expect(ended[0]).toMatchObject({ routeId: "stream-1", clientIp: "127.0.0.1", bytesIn: payload.length, bytesOut: answer.length });
  });

  it("works over IPv6 on both sides", async () => {
    const upstream = await listen(hashingUpstream(), "::1");
    const { port, ended } = await relayOn(tcpRoute([`tcp://[::1]:${upstream}`]), "::1");
    expect(await exchange(port, Buffer.from("hello"), "::1")).toMatch(/^5 /);
    await expect.poll(() => ended[0]?.clientIp).toBe("::1");
  });

  it("tries the next upstream when one refuses, and closes the client when none accepts", async () => {
    const closed = net.createServer();
    const refusing = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    servers.splice(servers.indexOf(closed), 1);
    const upstream = await listen(hashingUpstream());
    const both = await relayOn(tcpRoute([`tcp://127.0.0.1:${refusing}`, `tcp://127.0.0.1:${upstream}`]));
    for (let i = 0; i < 3; i += 1) expect(await exchange(both.port, Buffer.from("abc"))).toMatch(/^3 /);
    const none = await relayOn(tcpRoute([`tcp://127.0.0.1:${refusing}`]));
    expect(await exchange(none.port, Buffer.from("abc"))).toBe("");
  });

  it("starts the upstream connection with a PROXY protocol v2 header naming the client", async () => {
    const received: Buffer[] = [];
    const upstream = await listen(
      net.createServer({ allowHalfOpen: true }, (socket) => {
        socket.on("data", (chunk: Buffer) => received.push(chunk));
        socket.on("end", () => socket.end("ok"));
      }),
    );
    const { port } = await relayOn(tcpRoute([`tcp://127.0.0.1:${upstream}`], { proxyProtocol: true }));
    expect(await exchange(port, Buffer.from("payload"))).toBe("ok");
    const all = Buffer.concat(received);
    expect(all.subarray(0, 12).toString("hex")).toBe("0d0a0d0a000d0a515549540a");
    expect(all.subarray(12, 14).toString("hex")).toBe("2111");
    expect([...all.subarray(16, 20)]).toEqual([127, 0, 0, 1]);
    expect(all.readUInt16BE(26)).toBe(port);
    expect(all.subarray(28).toString()).toBe("payload");
  });

  it("closes a connection idle for the route's timeout", async () => {
    const upstream = await listen(net.createServer((socket) => socket.resume()));
    const { port, ended } = await relayOn(tcpRoute([`tcp://127.0.0.1:${upstream}`], { idleTimeoutMs: 300 }));
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.on("error", () => undefined);
    await new Promise((resolve) => socket.once("close", resolve));
    await expect.poll(() => ended.length).toBe(1);
    expect(ended[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });
});
