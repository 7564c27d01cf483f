import { createSocket, type Socket } from "node:dgram";
import { createServer, type Server } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { createAccessList, deleteAccessList, getAccessList, updateAccessList } from "./access-lists";
import { undoAuditChange } from "./audit";
import { recordApplied } from "./proxy-state";
import { currentRevision } from "./revision";
import { createStream, deleteStream, getStream, listStreams, updateStream } from "./streams";

let cleanup: () => Promise<void>;
const held: (Server | Socket)[] = [];
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
  process.env.PROXY_HOST = "127.0.0.1";
});
afterEach(async () => {
  for (const socket of held.splice(0)) await new Promise<void>((resolve) => socket.close(() => resolve()));
  delete process.env.PROXY_HOST;
  await cleanup();
});

/** A program on this machine holding a TCP port on `host`. */
async function holdTcp(port: number, host = "127.0.0.1"): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  held.push(server);
}

async function holdUdp(port: number): Promise<void> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
  held.push(socket);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

// Loopback only: nothing connects to these upstreams.
const postgres = (listenPort: number) => ({ name: "Postgres", protocol: "tcp", listenPort, upstreams: [{ url: "127.0.0.1:15432" }] });

const auditOf = (objectId: string) =>
  db().auditEntry.findMany({
    where: { objectType: "stream", objectId },
    orderBy: { at: "asc" },
    select: { action: true, before: true, after: true },
  });

describe("streams service", () => {
  it("creates a stream with defaults, bumps the revision in the same write, and records it", async () => {
    const port = await unusedPort();
    const stream = await createStream(postgres(port));
    expect(stream).toMatchObject({
      name: "Postgres",
      protocol: "tcp",
      listenPort: port,
      upstreams: [{ url: "tcp://127.0.0.1:15432", weight: 1, health: { state: "unknown" } }],
      enabled: true,
      idleTimeoutSeconds: 600,
      status: { applied: false, appliedRevision: null, error: null },
    });
    expect(await currentRevision()).toBe(1);
    expect(await listStreams()).toEqual([stream]);
    expect(await auditOf(stream.id)).toEqual([{ action: "create", before: null, after: JSON.stringify(stream) }]);
  });

  it("keeps each upstream's id while its URL stays, and shows its health", async () => {
    const stream = await createStream({
      ...postgres(await unusedPort()),
      upstreams: [{ url: "127.0.0.1:15432" }, { url: "127.0.0.1:15433" }],
    });
    const [first, second] = stream.upstreams;
    await db().upstreamHealth.create({
      data: { upstreamId: first!.id, state: "up", checkedAt: new Date(), latencyMs: 3, message: null, changedAt: new Date() },
    });
    const edited = await updateStream(stream.id, {
      upstreams: [{ url: "127.0.0.1:15434" }, { url: "tcp://127.0.0.1:15432", weight: 5 }],
      healthCheck: { intervalSeconds: 30 },
    });
    expect(edited.upstreams).toMatchObject([
      { url: "tcp://127.0.0.1:15434", weight: 1, health: { state: "unknown" } },
      { id: first!.id, url: "tcp://127.0.0.1:15432", weight: 5, health: { state: "up", latencyMs: 3 } },
    ]);
    expect(edited.upstreams.map((upstream) => upstream.id)).not.toContain(second!.id);
    expect(edited.healthCheck).toEqual({ ...stream.healthCheck, intervalSeconds: 30 });
    expect(await db().streamUpstream.count()).toBe(2);
    expect((await auditOf(stream.id)).map((entry) => entry.action)).toEqual(["create", "update"]);
  });

  it("refuses a bad patch naming the field, and keeps what was saved", async () => {
    const stream = await createStream(postgres(await unusedPort()));
    const error = await rejection(updateStream(stream.id, { idleTimeoutSeconds: -1, upstream: "127.0.0.1:1" }));
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.details).sort()).toEqual(["idleTimeoutSeconds", "upstream"]);
    // The merged whole is checked: the saved tcp:// upstream does not fit a UDP stream.
    expect((await rejection(updateStream(stream.id, { protocol: "udp" }))).details).toEqual({
      "upstreams.0.url": '"tcp://127.0.0.1:15432": a UDP stream forwards to udp:// upstreams',
    });
    expect(await rejection(updateStream(stream.id, []))).toMatchObject({ code: "validation_failed" });
    expect(await getStream(stream.id)).toEqual(stream);
    expect(await currentRevision()).toBe(1);
  });

  it("deletes a stream with its upstreams, and records it", async () => {
    const stream = await createStream(postgres(await unusedPort()));
    await deleteStream(stream.id);
    expect(await rejection(getStream(stream.id))).toMatchObject({ code: "not_found", message: "Stream was not found" });
    expect(await db().streamUpstream.count()).toBe(0);
    expect(await currentRevision()).toBe(2);
    expect((await auditOf(stream.id)).map((entry) => entry.action)).toEqual(["create", "delete"]);
    expect(await rejection(deleteStream(stream.id))).toMatchObject({ code: "not_found" });
    expect(await rejection(updateStream(stream.id, { name: "x" }))).toMatchObject({ code: "not_found" });
  });
});

describe("a port in use answers 409 naming its owner", () => {
  it("this product's own ports", async () => {
    process.env.DASHBOARD_PORT = "3000";
    for (const [port, owner] of [
      [443, "Port 443 is the proxy's own HTTPS port: choose another"],
      [80, "Port 80 is the proxy's own HTTP port: choose another"],
      [3000, "Port 3000 is this product's own dashboard: choose another"],
      [1, "Port 1 is the proxy's own control port: choose another"],
    ] as const) {
      const error = await rejection(createStream(postgres(port)));
      expect(error).toMatchObject({ code: "conflict", status: 409, message: owner, details: { listenPort: owner } });
    }
    expect(await listStreams()).toEqual([]);
  });

  it("another stream, enabled or not, on create and when the port changes", async () => {
    const [port, other] = [await unusedPort(), await unusedPort()];
    await createStream({ ...postgres(port), enabled: false });
    const message = `Port ${port} is already used by the stream "Postgres"`;
    const taken = await rejection(createStream({ ...postgres(port), name: "Redis", protocol: "udp" }));
    expect(taken).toMatchObject({ code: "conflict", message, details: { listenPort: message } });
    const redis = await createStream({ ...postgres(other), name: "Redis" });
    expect(await rejection(updateStream(redis.id, { listenPort: port }))).toMatchObject({ code: "conflict", message });
    expect((await getStream(redis.id)).listenPort).toBe(other);
  });

  it("another program on this machine, for each protocol the stream listens on", async () => {
    const [tcp, udp] = [await unusedPort(), await unusedPort()];
    await holdTcp(tcp);
    await holdUdp(udp);
    const inUse = (port: number) => `Port ${port} is in use by another program on this machine`;
    expect(await rejection(createStream(postgres(tcp)))).toMatchObject({
      code: "conflict",
      message: inUse(tcp),
      details: { listenPort: inUse(tcp) },
    });
    expect(await rejection(createStream({ ...postgres(udp), protocol: "udp" }))).toMatchObject({ code: "conflict", message: inUse(udp) });
    // TCP and UDP ports are apart: a TCP stream may take a port a program holds for UDP, until it wants UDP too.
    const dns = await createStream({ ...postgres(udp), name: "DNS" });
    expect(await rejection(updateStream(dns.id, { protocol: "both" }))).toMatchObject({ code: "conflict", message: inUse(udp) });
    expect(await listStreams()).toHaveLength(1);
  });

  it("another program on every address, when the proxy listens on all of them", async () => {
    delete process.env.PROXY_HOST; // 0.0.0.0, the default
    const port = await unusedPort();
    await holdTcp(port, "127.0.0.1");
    expect(await rejection(createStream(postgres(port)))).toMatchObject({
      code: "conflict",
      message: `Port ${port} is in use by another program on this machine`,
    });
  });

  it("a disabled stream listens on nothing: it is checked once it is turned on", async () => {
    const port = await unusedPort();
    await holdTcp(port);
    const stream = await createStream({ ...postgres(port), enabled: false });
    const error = await rejection(updateStream(stream.id, { enabled: true }));
    expect(error).toMatchObject({ code: "conflict", message: `Port ${port} is in use by another program on this machine` });
    expect((await getStream(stream.id)).enabled).toBe(false);
  });

  it("a stream keeps its own port: the socket the proxy holds for it is not tried again", async () => {
    const port = await unusedPort();
    const stream = await createStream(postgres(port));
    await holdTcp(port); // as the proxy does once it serves the stream
    const renamed = await updateStream(stream.id, { name: "Main DB", idleTimeoutSeconds: 60 });
    expect(renamed).toMatchObject({ name: "Main DB", listenPort: port, idleTimeoutSeconds: 60 });
    // Adding UDP tries only UDP, which is free.
    expect((await updateStream(stream.id, { protocol: "both" })).protocol).toBe("both");
  });

  it.skipIf(process.getuid?.() === 0)("a privileged port this user may not bind, in plain words", async () => {
    const error = await rejection(createStream(postgres(22)));
    expect(error).toMatchObject({
      code: "conflict",
      details: { listenPort: expect.stringMatching(/^Port 22 is a privileged port on this machine/) },
    });
  });
});

describe("a stream's access list", () => {
  it("must exist", async () => {
    const error = await rejection(createStream({ ...postgres(await unusedPort()), accessListId: "nope" }));
    expect(error).toMatchObject({ code: "validation_failed", details: { accessListId: "There is no access list with this id" } });
    expect(await listStreams()).toEqual([]);
  });

  it("cannot be deleted while a stream uses it, and a change to it makes the stream pending", async () => {
    const list = await createAccessList({ name: "Office", allow: ["127.0.0.0/8"] });
    const stream = await createStream({ ...postgres(await unusedPort()), accessListId: list.id });
    expect((await getAccessList(list.id)).streamIds).toEqual([stream.id]);
    await recordApplied({ revision: await currentRevision(), snapshotHash: "a", siteErrors: {} });
    expect((await getStream(stream.id)).status.applied).toBe(true);
    await updateAccessList(list.id, { allow: ["127.0.0.1"] });
    expect((await getStream(stream.id)).status.applied).toBe(false);

    const error = await rejection(deleteAccessList(list.id));
    expect(error).toMatchObject({
      code: "conflict",
      message: 'This access list is used by the stream "Postgres": choose another access list (or none) there first',
      details: { streamIds: stream.id },
    });
    await updateStream(stream.id, { accessListId: null });
    await deleteAccessList(list.id);
  });
});

describe("what the proxy applied", () => {
  it("writes each stream's applied revision, and the error of one it could not serve", async () => {
    const good = await createStream(postgres(await unusedPort()));
    const bad = await createStream({ ...postgres(await unusedPort()), name: "Bad" });
    const off = await createStream({ ...postgres(await unusedPort()), name: "Off", enabled: false });
    await recordApplied({ revision: 3, snapshotHash: "a", siteErrors: {}, streamErrors: { [bad.id]: "Port taken" } });
    expect((await getStream(good.id)).status).toEqual({ applied: true, appliedRevision: 3, error: null });
    expect((await getStream(bad.id)).status).toEqual({ applied: false, appliedRevision: null, error: "Port taken" });
    expect((await getStream(off.id)).status).toEqual({ applied: true, appliedRevision: 3, error: null });

    // Saved after the revision the proxy reports: still pending.
    const edited = await updateStream(good.id, { name: "Postgres 2" });
    await recordApplied({ revision: 3, snapshotHash: "a", siteErrors: {} });
    expect((await getStream(good.id)).status).toEqual({ applied: false, appliedRevision: 3, error: null });
    expect(edited.status.applied).toBe(false);

    await recordApplied({ revision: 4, snapshotHash: "b", siteErrors: {} });
    expect((await getStream(bad.id)).status).toEqual({ applied: true, appliedRevision: 4, error: null });
    expect((await getStream(good.id)).status.applied).toBe(true);
  });
});

describe("undo from the history", () => {
  it("puts a changed stream back, and brings a deleted one back on its port", async () => {
    const port = await unusedPort();
    const stream = await createStream(postgres(port));
    await updateStream(stream.id, { name: "Main DB", upstreams: [{ url: "127.0.0.1:6432" }] });
    const update = await db().auditEntry.findFirstOrThrow({ where: { objectType: "stream", action: "update" } });
    await undoAuditChange(update.id);
    const undone = await getStream(stream.id);
    expect(undone).toMatchObject({ name: "Postgres", upstreams: [{ url: "tcp://127.0.0.1:15432" }] });

    await deleteStream(stream.id);
    const deletion = await db().auditEntry.findFirstOrThrow({ where: { objectType: "stream", action: "delete" } });
    await undoAuditChange(deletion.id);
    expect((await listStreams()).map(({ name, listenPort }) => ({ name, listenPort }))).toEqual([{ name: "Postgres", listenPort: port }]);
  });
});
