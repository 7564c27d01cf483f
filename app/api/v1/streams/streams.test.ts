import { createServer, type Server } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminApiToken, apiError, callRoute, type RouteCall, type RouteHandler } from "@/test-support/api-routes";
import { unusedPort } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { db } from "@/lib/db";
import * as streamsRoute from "./route";
import * as streamRoute from "./[id]/route";

let cleanup: () => Promise<void>;
let token: string;
let program: Server | null = null;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
  process.env.PROXY_HOST = "127.0.0.1";
});
afterEach(async () => {
  if (program) await new Promise<void>((resolve) => program!.close(() => resolve()));
  program = null;
  delete process.env.PROXY_HOST;
  await cleanup();
});

const call = <P>(handler: RouteHandler<P>, method: string, path: string, options: Omit<RouteCall, "token"> = {}, params = {} as P) =>
  callRoute(handler, method, path, { ...options, token }, params);

interface StreamBody {
  id: string;
  name: string;
  protocol: string;
  listenPort: number;
  upstreams: { id: string; url: string; weight: number; health: { state: string } }[];
  enabled: boolean;
  status: { applied: boolean; appliedRevision: number | null; error: string | null };
}

// Loopback only: nothing connects to these upstreams.
const postgres = (listenPort: number) => ({ name: "Postgres", protocol: "tcp", listenPort, upstreams: [{ url: "127.0.0.1:15432" }] });
const list = async () => (await (await call(streamsRoute.GET, "GET", "/api/v1/streams")).json()) as StreamBody[];

describe("/api/v1/streams", () => {
  it("requires a session or a token", async () => {
    const response = await callRoute(streamsRoute.POST, "POST", "/api/v1/streams", { body: postgres(await unusedPort()) });
    expect(await apiError(response)).toMatchObject({ status: 401, code: "unauthorized" });
    expect(await db().stream.count()).toBe(0);
  });

  it("creates (201), lists, reads, patches (200) and deletes (204) a stream", async () => {
    const port = await unusedPort();
    const created = await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: postgres(port) });
    expect(created.status).toBe(201);
    const stream = (await created.json()) as StreamBody;
    expect(stream).toMatchObject({
      name: "Postgres",
      protocol: "tcp",
      listenPort: port,
      enabled: true,
      upstreams: [{ url: "tcp://127.0.0.1:15432", weight: 1, health: { state: "unknown" } }],
      status: { applied: false, appliedRevision: null, error: null },
    });
    const params = { id: stream.id };
    expect(await list()).toEqual([stream]);
    expect(await (await call(streamRoute.GET, "GET", `/api/v1/streams/${stream.id}`, {}, params)).json()).toEqual(stream);

    const patched = await call(streamRoute.PATCH, "PATCH", `/api/v1/streams/${stream.id}`, { body: { name: "Main DB", enabled: false } }, params);
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "Main DB", enabled: false, listenPort: port, upstreams: [{ id: stream.upstreams[0]!.id }] });

    const deleted = await call(streamRoute.DELETE, "DELETE", `/api/v1/streams/${stream.id}`, {}, params);
    expect(deleted.status).toBe(204);
    expect(await apiError(await call(streamRoute.GET, "GET", `/api/v1/streams/${stream.id}`, {}, params))).toMatchObject({
      status: 404,
      code: "not_found",
    });
  });

  it("answers 404 for an unknown id, whatever the method", async () => {
    const params = { id: "nope" };
    for (const response of [
      await call(streamRoute.GET, "GET", "/api/v1/streams/nope", {}, params),
      await call(streamRoute.PATCH, "PATCH", "/api/v1/streams/nope", { body: { name: "x" } }, params),
      await call(streamRoute.DELETE, "DELETE", "/api/v1/streams/nope", {}, params),
    ]) {
      expect(await apiError(response)).toMatchObject({ status: 404, code: "not_found", message: "Stream was not found" });
    }
  });

  it("answers 400 for a body that is not JSON or not an object, and saves nothing", async () => {
    const notJson = await apiError(await call(streamsRoute.POST, "POST", "/api/v1/streams", { rawBody: "{" }));
    expect(notJson).toMatchObject({ status: 400, code: "validation_failed", message: expect.stringMatching(/not valid JSON/) });
    const array = await apiError(await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: [] }));
    expect(array).toMatchObject({ status: 400, code: "validation_failed" });
    expect(await list()).toEqual([]);
  });

  it("answers 400 naming each bad field, and keeps what was saved on a bad PATCH", async () => {
    const error = await apiError(
      await call(streamsRoute.POST, "POST", "/api/v1/streams", {
        body: { name: "", protocol: "sctp", listenPort: 70_000, upstreams: [{ url: "http://127.0.0.1:1" }], prot: 1 },
      }),
    );
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(Object.keys(error.details).sort()).toEqual(["listenPort", "name", "prot", "protocol", "upstreams.0.url"]);
    expect(error.details.listenPort).toBe("Use a port from 1 to 65535");
    expect(await list()).toEqual([]);

    const stream = (await (await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: postgres(await unusedPort()) })).json()) as StreamBody;
    const params = { id: stream.id };
    const udp = await apiError(
      await call(streamRoute.PATCH, "PATCH", `/api/v1/streams/${stream.id}`, { body: { protocol: "udp", proxyProtocol: true } }, params),
    );
    expect(udp).toMatchObject({
      status: 400,
      details: {
        "upstreams.0.url": '"tcp://127.0.0.1:15432": a UDP stream forwards to udp:// upstreams',
        proxyProtocol: "The PROXY protocol is sent on TCP connections only: choose TCP or both",
      },
    });
    expect(await list()).toEqual([stream]);
  });

  it("answers 409 naming who holds the port", async () => {
    const own = await apiError(await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: postgres(443) }));
    expect(own).toMatchObject({ status: 409, code: "conflict", details: { listenPort: "Port 443 is the proxy's own HTTPS port: choose another" } });

    const port = await unusedPort();
    await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: postgres(port) });
    const twice = await apiError(await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: { ...postgres(port), name: "Copy" } }));
    expect(twice).toMatchObject({ status: 409, message: `Port ${port} is already used by the stream "Postgres"` });

    const busy = await unusedPort();
    program = createServer();
    await new Promise<void>((resolve) => program!.listen(busy, "127.0.0.1", resolve));
    const taken = await apiError(await call(streamsRoute.POST, "POST", "/api/v1/streams", { body: { ...postgres(busy), name: "Other" } }));
    expect(taken).toMatchObject({ status: 409, details: { listenPort: `Port ${busy} is in use by another program on this machine` } });
    expect((await list()).map((stream) => stream.name)).toEqual(["Postgres"]);
  });
});
