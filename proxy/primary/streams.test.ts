import { createHash, randomBytes } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createAccessList } from "@/lib/services/access-lists";
import { appliedRevision } from "@/lib/services/proxy-state";
import { bumpRevision, currentRevision } from "@/lib/services/revision";
import { createStream, deleteStream, getStream, updateStream } from "@/lib/services/streams";
import type { Stream } from "@/lib/schemas/stream";
import { unusedPort } from "@/test-support/backend";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { eventually } from "@/test-support/proxy-process";
import { echoUdpUpstream, hashingTcpUpstream, tcpExchange, udpAsk, udpAskOn } from "@/test-support/stream-peers";

/**
 * Streams through the whole proxy (primary + two cluster workers) on a real SQLite file, saved
 * through the services the dashboard uses: ports opened, changed and released live, TCP relayed
 * byte for byte, UDP answered per client, access lists, port conflicts and the traffic counted.
 */
let gateway: ProxyOnDatabase;
const closers: Array<() => Promise<void>> = [];
let tcpA: number;
let tcpB: number;
let udpA: number;
let udpB: number;

beforeAll(async () => {
  gateway = await startProxyOnDatabase({ workers: 2, env: { PROXY_HOST: "::", TRAFFIC_FLUSH_MS: "200", TRAFFIC_WRITE_MS: "200" } });
  const peers = await Promise.all([hashingTcpUpstream("A"), hashingTcpUpstream("B"), echoUdpUpstream("A"), echoUdpUpstream("B")]);
  closers.push(...peers.map((peer) => peer.close));
  [tcpA, tcpB, udpA, udpB] = peers.map((peer) => peer.port) as [number, number, number, number];
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await Promise.all(closers.map((close) => close()));
});

const log = () => gateway.proxy.log();

/** Until the proxy reports the stream applied (its ports are open), or with its error. */
function applied(id: string): Promise<Stream> {
  return eventually(
    () => getStream(id),
    (stream) => stream.status.applied,
    { log },
  );
}

/** Until every worker serves the current revision (for a deleted stream, which has no status). */
async function allApplied(): Promise<void> {
  const revision = await currentRevision();
  await eventually(
    () => appliedRevision(),
    (served) => served !== null && served >= revision,
    { log },
  );
}

/** A port free for TCP and UDP alike. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    const socket = dgram.createSocket("udp6");
    const free = await new Promise<boolean>((resolve) => {
      socket.once("error", () => resolve(false));
      socket.bind(port, "::", () => resolve(true));
    });
    if (free) await new Promise<void>((resolve) => socket.close(() => resolve()));
    else socket.close();
    if (free) return port;
  }
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("TCP streams", () => {
  let stream: Stream;

  it("relays 16 MB intact and passes the client's half-close on, for IPv4 and IPv6 clients", async () => {
    const port = await freePort();
    stream = await applied(
      (await createStream({ name: "Database", protocol: "tcp", listenPort: port, upstreams: [{ url: `tcp://127.0.0.1:${tcpA}` }] })).id,
    );
    const payload = randomBytes(16 * 1024 * 1024);
    // The upstream answers only after the client's end has reached it: the half-close went through.
    expect(await tcpExchange("127.0.0.1", port, payload)).toBe(`A ${payload.length} ${sha256(payload)}`);
    expect(await tcpExchange("::1", port, "over IPv6")).toBe(`A 9 ${sha256(Buffer.from("over IPv6"))}`);
  }, 60_000);

  it("uses an upstream added live, round robin, without reopening the port", async () => {
    await updateStream(stream.id, { upstreams: [{ url: `tcp://127.0.0.1:${tcpA}` }, { url: `tcp://127.0.0.1:${tcpB}` }] });
    await applied(stream.id);
    const names = new Set<string>();
    for (let i = 0; i < 6; i += 1) names.add((await tcpExchange("127.0.0.1", stream.listenPort, "x")).split(" ")[0]!);
    expect(names).toEqual(new Set(["A", "B"]));
  }, 60_000);

  it("moves to a new port on a change, and releases the port of a deleted stream", async () => {
    const oldPort = stream.listenPort;
    const newPort = await freePort();
    await updateStream(stream.id, { listenPort: newPort, upstreams: [{ url: `tcp://127.0.0.1:${tcpB}` }] });
    await applied(stream.id);
    expect(await tcpExchange("127.0.0.1", newPort, "x")).toMatch(/^B 1 /);
    await expectPortFree(oldPort);
    await deleteStream(stream.id);
    await allApplied();
    expect(await tcpExchange("127.0.0.1", newPort, "x")).toBe("");
    await expectPortFree(newPort);
  }, 60_000);
});

/** A plain server can listen on the port (all interfaces): nobody holds it any more. */
async function expectPortFree(port: number): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe("UDP streams", () => {
  it("answers several clients at once, each its own answer, over IPv4 and IPv6", async () => {
    const port = await freePort();
    await applied((await createStream({ name: "DNS", protocol: "udp", listenPort: port, upstreams: [{ url: `udp://127.0.0.1:${udpA}` }] })).id);
    const hosts = ["127.0.0.1", "::1"];
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => udpAsk(hosts[i % 2]!, port, `question ${i}`)));
    expect(answers).toEqual(Array.from({ length: 8 }, (_, i) => `A:question ${i}`));
  }, 60_000);

  it("keeps one client's flow on one upstream whichever worker reads its datagrams", async () => {
    const port = await freePort();
    await applied(
      (
        await createStream({
          name: "Game",
          protocol: "udp",
          listenPort: port,
          upstreams: [{ url: `udp://127.0.0.1:${udpA}` }, { url: `udp://127.0.0.1:${udpB}` }],
        })
      ).id,
    );
    // Twelve clients, each sending several datagrams, which the two workers read as it happens.
    const upstreamsSeen = await Promise.all(
      Array.from({ length: 12 }, async (_, client) => {
        const socket = dgram.createSocket("udp4");
        await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
        const answers: (string | null)[] = [];
        for (let i = 0; i < 5; i += 1) answers.push(await udpAskOn(socket, "127.0.0.1", port, `client ${client} move ${i}`));
        socket.close();
        expect(answers.map((answer) => answer?.slice(2))).toEqual(Array.from({ length: 5 }, (_, i) => `client ${client} move ${i}`));
        return new Set(answers.map((answer) => answer!.split(":")[0]));
      }),
    );
    // Each client's flow reaches one upstream whichever worker read its datagrams; the clients spread over both.
    expect(upstreamsSeen.map((seen) => seen.size)).toEqual(Array(12).fill(1));
    expect(new Set(upstreamsSeen.flatMap((seen) => [...seen]))).toEqual(new Set(["A", "B"]));
  }, 60_000);
});

describe("access lists on streams", () => {
  it("closes refused TCP clients at once and leaves their datagrams unanswered; an allowed address gets through", async () => {
    const list = await createAccessList({ name: "No IPv4 loopback", deny: ["127.0.0.1"] });
    const [tcpPort, udpPort] = [await freePort(), await freePort()];
    const tcp = await createStream({
      name: "Guarded TCP",
      protocol: "tcp",
      listenPort: tcpPort,
      accessListId: list.id,
      upstreams: [{ url: `tcp://127.0.0.1:${tcpA}` }],
    });
    const udp = await createStream({
      name: "Guarded UDP",
      protocol: "udp",
      listenPort: udpPort,
      accessListId: list.id,
      upstreams: [{ url: `udp://127.0.0.1:${udpA}` }],
    });
    await Promise.all([applied(tcp.id), applied(udp.id)]);
    expect(await tcpExchange("127.0.0.1", tcpPort, "let me in")).toBe("");
    expect(await tcpExchange("::1", tcpPort, "let me in")).toMatch(/^A 9 /);
    expect(await udpAsk("127.0.0.1", udpPort, "let me in", 1_500)).toBeNull();
    expect(await udpAsk("::1", udpPort, "let me in")).toBe("A:let me in");
  }, 60_000);
});

describe("port conflicts", () => {
  it("names another program on the stream's port as its error while other streams keep working, and tries again later", async () => {
    const working = await createStream({
      name: "Working",
      protocol: "tcp",
      listenPort: await freePort(),
      upstreams: [{ url: `tcp://127.0.0.1:${tcpA}` }],
    });
    await applied(working.id);
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, resolve));
    // The services refuse a port in use when saving: the program took it after the stream was saved.
    const blocked = await createStream({
      name: "Blocked",
      protocol: "tcp",
      listenPort: port,
      enabled: false,
      upstreams: [{ url: `tcp://127.0.0.1:${tcpB}` }],
    });
    await db().$transaction(async (tx) => {
      const revision = await bumpRevision(tx);
      await tx.stream.update({ where: { id: blocked.id }, data: { enabled: true, revision } });
    });
    const failed = await eventually(
      () => getStream(blocked.id),
      (stream) => stream.status.error !== null,
      { log },
    );
    expect(failed.status.error).toBe(`Port ${port} (TCP) is in use by another program.`);
    expect(await tcpExchange("127.0.0.1", working.listenPort, "still here")).toMatch(/^A 10 /);

    // Once the program lets go, the next apply opens the port.
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    await updateStream(working.id, { name: "Working still" });
    await applied(blocked.id);
    expect(await tcpExchange("127.0.0.1", port, "x")).toMatch(/^B 1 /);
  }, 60_000);

  it("names the proxy's own port", async () => {
    const other = await createStream({
      name: "Own",
      protocol: "tcp",
      listenPort: await freePort(),
      enabled: false,
      upstreams: [{ url: `tcp://127.0.0.1:${tcpA}` }],
    });
    await db().$transaction(async (tx) => {
      const revision = await bumpRevision(tx);
      await tx.stream.update({ where: { id: other.id }, data: { enabled: true, revision, listenPort: gateway.proxy.httpsPort } });
    });
    const failed = await eventually(
      () => getStream(other.id),
      (stream) => stream.status.error !== null,
      { log },
    );
    expect(failed.status.error).toBe(`Port ${gateway.proxy.httpsPort} is the proxy's own HTTPS port: choose another.`);
  }, 60_000);
});

describe("traffic of streams", () => {
  it("ends a UDP session after the idle timeout and counts it as a connection with its bytes", async () => {
    const port = await freePort();
    const stream = await applied(
      (
        await createStream({
          name: "Counted UDP",
          protocol: "udp",
          listenPort: port,
          idleTimeoutSeconds: 1,
          upstreams: [{ url: `udp://127.0.0.1:${udpA}` }],
        })
      ).id,
    );
    expect(await udpAsk("127.0.0.1", port, "ping")).toBe("A:ping");
    // The session ends a second after its last datagram and is then counted with its bytes.
    const row = await eventually(
      () => db().trafficMinute.findFirst({ where: { siteId: stream.id } }),
      (minute) => minute !== null && minute.connections >= 1,
      { log },
    );
    expect(Number(row!.bytesIn)).toBeGreaterThan(0);
    expect(row).toMatchObject({ bytesIn: 4n, bytesOut: 6n, requests: 0 });
  }, 60_000);

  it("counts each TCP connection with its bytes both ways and its duration", async () => {
    const port = await freePort();
    const stream = await applied(
      (await createStream({ name: "Counted", protocol: "tcp", listenPort: port, upstreams: [{ url: `tcp://127.0.0.1:${tcpA}` }] })).id,
    );
    const answers = await Promise.all(Array.from({ length: 3 }, () => tcpExchange("127.0.0.1", port, "12345")));
    const answerBytes = answers.reduce((sum, answer) => sum + answer.length, 0);
    const row = await eventually(
      () => db().trafficMinute.findFirst({ where: { siteId: stream.id } }),
      (minute) => minute !== null && minute.connections === 3,
      { log },
    );
    expect(row).toMatchObject({ connections: 3, bytesIn: 15n, bytesOut: BigInt(answerBytes), requests: 0 });
    expect(Number(row!.connectionMs)).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
