import net, { type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startDataPlane, type RunningDataPlane } from "@/test-support/data-plane";
import { testSnapshot } from "@/test-support/snapshots";
import { testStream } from "@/test-support/stream-snapshots";
import { unusedPort } from "@/test-support/backend";

const planes: RunningDataPlane[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(planes.splice(0).map((plane) => plane.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An upstream that answers every chunk with "echo:" and the chunk, and never ends on its own. */
async function echoUpstream(): Promise<number> {
  const server = net.createServer((socket) => socket.on("data", (chunk: Buffer) => socket.write(`echo:${chunk}`)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function canListen(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A connection through the stream that has said hello and got the echo back. */
async function openConnection(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("data", () => resolve()).write("hello"));
  return { socket, closed };
}

describe("stream ports with the data plane", () => {
  it("stops accepting at close, lets open connections drain, and cuts them at the end of the drain", async () => {
    const upstream = await echoUpstream();
    const port = await unusedPort();
    const running = await startDataPlane();
    const applied = running.plane.apply(
      testSnapshot(1, [], [], { streams: [testStream({ id: "s", listenPort: port, upstreams: [`tcp://127.0.0.1:${upstream}`] })] }),
    );
    expect(applied).toMatchObject({ ok: true });
    expect(await running.plane.streamErrors()).toEqual({});
    const connection = await openConnection(port);

    const started = performance.now();
    const closing = running.plane.close({ drainMs: 1_000 });
    // The port is let go at once; the connection still works while the drain lasts.
    await expect.poll(() => canListen(port)).toBe(true);
    await new Promise<void>((resolve) => connection.socket.once("data", () => resolve()).write("still there"));
    await connection.closed;
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    await closing;
  });

  it("closes a deleted stream's port and its connections, and reports a port another program holds", async () => {
    const upstream = await echoUpstream();
    const [freePort, heldPort] = [await unusedPort(), await unusedPort()];
    const holder = net.createServer();
    servers.push(holder);
    await new Promise<void>((resolve) => holder.listen(heldPort, "127.0.0.1", resolve));
    const running = await startDataPlane();
    planes.push(running);
    const streams = [
      testStream({ id: "free", listenPort: freePort, upstreams: [`tcp://127.0.0.1:${upstream}`] }),
      testStream({ id: "held", listenPort: heldPort, upstreams: [`tcp://127.0.0.1:${upstream}`] }),
    ];
    running.plane.apply(testSnapshot(1, [], [], { streams }));
    expect(await running.plane.streamErrors()).toEqual({ held: `Port ${heldPort} (TCP) is in use by another program.` });
    const connection = await openConnection(freePort);

    running.plane.apply(testSnapshot(2, [], [], { streams: [streams[1]!] }));
    await running.plane.streamErrors();
    await connection.closed;
    expect(await canListen(freePort)).toBe(true);
  });
});
