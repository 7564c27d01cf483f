import { readFileSync } from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createAccessList } from "@/lib/services/access-lists";
import { startBackend, type Backend } from "@/test-support/backend";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";
import { eventually, type ProxyProcess } from "@/test-support/proxy-process";
import { childPids, socketOwner } from "@/test-support/socket-owner";

/**
 * The real proxy with two workers: connections from one address spread over both workers, and a
 * client's limits are still the site's limits, not the site's limits per worker.
 */
let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let backend: Backend;
let slowBackend: Backend;
let workerPids: number[];
const opened: net.Socket[] = [];

beforeAll(async () => {
  backend = await startBackend({ name: "limited" });
  slowBackend = await startBackend({ name: "slow", delayMs: 1_000 });
  product = await startProxyOnDatabase({ workers: 2 });
  proxy = product.proxy;
  // A burst, then one request every 100 seconds: the tests never see a refill.
  await product.addSite({
    name: "Limited",
    hostnames: ["limited.test"],
    upstreams: [{ url: backend.url }],
    rateLimit: { requestsPerSecond: 0.01, burst: 6 },
  });
  await product.addSite({
    name: "Many",
    hostnames: ["many.test"],
    upstreams: [{ url: backend.url }],
    rateLimit: { requestsPerSecond: 0.01, burst: 2 },
  });
  await product.addSite({
    name: "Capped",
    hostnames: ["capped.test"],
    upstreams: [{ url: slowBackend.url }],
    rateLimit: { requestsPerSecond: 1_000, burst: 1_000, maxConnectionsPerIp: 2 },
  });
  const crew = await createAccessList({ name: "Crew", basicAuth: [{ username: "bob", password: "battery staple" }] });
  await product.addSite({
    name: "Guarded",
    hostnames: ["guarded.test"],
    upstreams: [{ url: backend.url }],
    accessListId: crew.id,
    rateLimit: { requestsPerSecond: 1_000, burst: 1_000, maxConnectionsPerIp: 1 },
  });
  const isWorker = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("worker.ts");
  workerPids = await eventually(
    async () => childPids(proxy.child.pid!).filter(isWorker),
    (pids) => pids.length === 2,
  );
}, 60_000);

afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

afterAll(async () => {
  await product?.close();
  await backend?.close();
  await slowBackend?.close();
});

/** `count` connections from `localAddress`, each accepted by a worker; resolves with the worker of each. */
async function connect(localAddress: string, count: number): Promise<{ sockets: net.Socket[]; owners: number[] }> {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect({ host: "127.0.0.1", port: proxy.httpPort, localAddress }, () => resolve(socket));
          socket.once("error", reject);
          opened.push(socket);
        }),
    ),
  );
  const owners = await eventually(
    async () =>
      sockets.map((socket) => socketOwner(workerPids, { ip: "127.0.0.1", port: proxy.httpPort }, { ip: localAddress, port: socket.localPort! })),
    (found) => found.every((pid) => pid !== null),
  );
  return { sockets, owners: owners as number[] };
}

/**
 * `count` connections from one address of which both workers hold at least one. The kernel picks
 * the worker that accepts, so a small batch can land on one worker: more are opened until both
 * have some, and the extra ones are closed unused.
 */
async function connectToBoth(localAddress: string, count: number): Promise<net.Socket[]> {
  const byWorker = new Map<number, net.Socket[]>();
  for (let attempt = 0; attempt < 10 && byWorker.size < 2; attempt++) {
    const { sockets, owners } = await connect(localAddress, count);
    sockets.forEach((socket, index) => byWorker.set(owners[index]!, [...(byWorker.get(owners[index]!) ?? []), socket]));
  }
  expect(byWorker.size).toBe(2);
  const [first, second] = [...byWorker.values()] as [net.Socket[], net.Socket[]];
  const chosen = [first[0]!, second[0]!, ...[...first.slice(1), ...second.slice(1)].slice(0, count - 2)];
  for (const socket of [...first, ...second]) if (!chosen.includes(socket)) socket.destroy();
  return chosen;
}

/** Sends one GET on the connection and resolves with the answer's status. */
function statusOf(socket: net.Socket, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match === null) return;
      socket.off("data", onData);
      resolve(Number(match[1]));
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
}

it("serves one address's connections on both workers", async () => {
  const sockets = await connectToBoth("127.0.3.9", 16);
  const owners = sockets.map((socket) =>
    socketOwner(workerPids, { ip: "127.0.0.1", port: proxy.httpPort }, { ip: "127.0.3.9", port: socket.localPort! }),
  );
  expect(new Set(owners)).toEqual(new Set(workerPids));
  // Both answer.
  expect(await Promise.all(sockets.map((socket) => statusOf(socket, "limited.test")))).toContain(200);
}, 60_000);

it("lets one address have exactly its burst over both workers at once, while another address has its own", async () => {
  const sockets = await connectToBoth("127.0.3.1", 16);
  const statuses = await Promise.all(sockets.map((socket) => statusOf(socket, "limited.test")));
  expect(statuses.filter((status) => status === 200)).toHaveLength(6);
  expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  const other = await connect("127.0.3.2", 1);
  expect(await statusOf(other.sockets[0]!, "limited.test")).toBe(200);
  // A change to another site keeps this site's counters, in the primary as in the workers.
  await product.addSite({ name: "Unrelated", hostnames: ["unrelated.test"], upstreams: [{ url: backend.url }] });
  const later = await connectToBoth("127.0.3.2", 6);
  const laterStatuses = await Promise.all(later.map((socket) => statusOf(socket, "limited.test")));
  expect(laterStatuses.filter((status) => status === 200)).toHaveLength(5);
}, 60_000);

it("caps one address's requests in progress over both workers, and frees the slots when they finish", async () => {
  const sockets = await connectToBoth("127.0.3.5", 8);
  const statuses = await Promise.all(sockets.map((socket) => statusOf(socket, "capped.test")));
  expect(statuses.filter((status) => status === 200)).toHaveLength(2);
  expect(statuses.filter((status) => status === 429)).toHaveLength(6);
  // Both slow requests have finished: the address may have two in progress again.
  const again = await connect("127.0.3.5", 2);
  expect(await Promise.all(again.sockets.map((socket) => statusOf(socket, "capped.test")))).toEqual([200, 200]);
}, 60_000);

it("keeps many addresses' limits apart while they all spread over both workers", async () => {
  const addresses = Array.from({ length: 20 }, (_, i) => `127.0.6.${i + 1}`);
  const perAddress = await Promise.all(
    addresses.map(async (address) => {
      const { sockets } = await connect(address, 5);
      return Promise.all(sockets.map((socket) => statusOf(socket, "many.test")));
    }),
  );
  for (const statuses of perAddress) {
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
  }
}, 60_000);

it("frees the slot of a client that left while its password was being checked", async () => {
  const authorization = `Basic ${Buffer.from("bob:battery staple").toString("base64")}`;
  const { sockets } = await connect("127.0.3.1", 3);
  for (const socket of sockets) {
    socket.on("error", () => undefined);
    socket.write(`GET / HTTP/1.1\r\nHost: guarded.test\r\nAuthorization: ${authorization}\r\n\r\n`);
  }
  await sleep(5);
  for (const socket of sockets) socket.destroy();
  // The password checks (scrypt) finish with nobody left to answer; a leaked slot would never free.
  const ask = async () => {
    const [socket] = (await connect("127.0.3.1", 1)).sockets;
    return new Promise<string>((resolve, reject) => {
      let text = "";
      socket!.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
        if (text.includes("\r\n\r\n")) {
          socket!.destroy();
          resolve(text.split("\r\n")[0]!);
        }
      });
      socket!.once("error", reject);
      socket!.write(`GET / HTTP/1.1\r\nHost: guarded.test\r\nAuthorization: ${authorization}\r\n\r\n`);
    });
  };
  expect(await eventually(ask, (answer) => answer === "HTTP/1.1 200 OK", { timeoutMs: 15_000, intervalMs: 200 })).toBe("HTTP/1.1 200 OK");
});
