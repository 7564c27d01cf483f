import { spawn, type ChildProcess } from "node:child_process";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { probe } from "./probe";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const tcp = (url: string, timeoutMs = 2_000) => ({
  url,
  path: "",
  intervalMs: 10_000,
  timeoutMs,
  expectedStatus: { from: 0, to: 0 },
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  verifyTls: false,
});

async function listening(host: string): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => server.close());
  return { port: (server.address() as AddressInfo).port, accepted: () => accepted };
}

/**
 * A port whose listener never accepts and whose queue is full: the kernel drops further
 * connection attempts, so a connect neither succeeds nor fails until its timeout.
 */
async function unanswering(): Promise<number> {
  const script = "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)";
  const child: ChildProcess = spawn("python3", ["-c", script], { stdio: ["ignore", "pipe", "ignore"] });
  cleanups.push(() => child.kill());
  const port = await new Promise<number>((resolve) => child.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  // Fill the accept queue (and the SYN queue's first places): these connections are never accepted.
  for (let i = 0; i < 3; i += 1) {
    const filler = net.connect(port, "127.0.0.1");
    filler.on("error", () => undefined);
    cleanups.push(() => filler.destroy());
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  return port;
}

describe("the TCP connect check", () => {
  it("passes when the upstream accepts a connection, on IPv4 and IPv6, and sends it nothing", async () => {
    for (const [host, url] of [
      ["127.0.0.1", (port: number) => `tcp://127.0.0.1:${port}`],
      ["::1", (port: number) => `tcp://[::1]:${port}`],
    ] as const) {
      const server = await listening(host);
      const result = await probe(tcp(url(server.port)), new AbortController().signal);
      expect(result).toMatchObject({ ok: true, status: null, message: null });
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      await expect.poll(server.accepted).toBe(1);
    }
  });

  it('says "Connection refused" for a port nothing listens on', async () => {
    const result = await probe(tcp(`tcp://127.0.0.1:${await unusedPort()}`), new AbortController().signal);
    expect(result).toEqual({ ok: false, status: null, latencyMs: null, message: "Connection refused" });
  });

  it("fails after the timeout when the connection is neither accepted nor refused", async () => {
    const port = await unanswering();
    const started = Date.now();
    const result = await probe(tcp(`tcp://127.0.0.1:${port}`, 400), new AbortController().signal);
    expect(result).toEqual({ ok: false, status: null, latencyMs: null, message: "No connection within 400 ms" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it("stops when the check is stopped", async () => {
    const port = await unanswering();
    const controller = new AbortController();
    const pending = probe(tcp(`tcp://127.0.0.1:${port}`, 5_000), controller.signal);
    controller.abort();
    expect((await pending).message).toBe("Check stopped");
  });
});
