import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSite } from "@/lib/services/sites";
import { startControlServer } from "@/proxy/primary/control-server";
import { adminApiToken, apiError, callRoute, type RouteCall } from "@/test-support/api-routes";
import { useTempDatabase } from "@/test-support/database";
import * as purgeRoute from "./route";

/** POST /api/v1/sites/:id/cache/purge: bad input is a 400 that says what is wrong, never a 500. */
let cleanup: () => Promise<void>;
let token: string;
let siteId: string;
let control: Server | undefined;
let purges = 0;

beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  token = await adminApiToken();
  siteId = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] })).id;
  purges = 0;
  control = await startControlServer(0, {
    onReload: () => undefined,
    preflight: async () => [],
    purgeCache: async () => {
      purges++;
      return 2;
    },
  });
  process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
});
afterEach(async () => {
  await new Promise<void>((resolve) => (control ? control.close(() => resolve()) : resolve()));
  control = undefined;
  await cleanup();
});

const post = (id: string, call: Omit<RouteCall, "token">) =>
  callRoute(purgeRoute.POST, "POST", `/api/v1/sites/${id}/cache/purge`, { ...call, token }, { id });

describe("POST /api/v1/sites/:id/cache/purge", () => {
  it("answers how many stored answers went", async () => {
    const response = await post(siteId, { body: { prefix: "/static/" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ purged: 2 });
    expect(await (await post(siteId, { body: {} })).json()).toEqual({ purged: 2 });
  });

  it("refuses a body that is not JSON, or none, with a 400 that says so", async () => {
    expect(await apiError(await post(siteId, { rawBody: "{prefix:" }))).toMatchObject({
      status: 400,
      code: "validation_failed",
      message: expect.stringMatching(/^The request body is not valid JSON/),
    });
    expect(await apiError(await post(siteId, { rawBody: "" }))).toMatchObject({
      status: 400,
      message: "The request body is empty: send a JSON object",
    });
    expect(purges).toBe(0);
  });

  it("names each bad field", async () => {
    const cases: [unknown, Record<string, string>][] = [
      [{ prefix: "static" }, { prefix: "Start the prefix with /, like /static/" }],
      [{ url: 42 }, { url: "Give the URL as text, like https://example.com/a.css or /a.css" }],
      [{ prefix: "/a/", url: "/a/b" }, { url: "Send a prefix or a URL, not both" }],
      [{ everything: true }, { everything: "Unknown field: check its spelling, or leave it out" }],
      [[], { _: expect.any(String) }],
      ["everything", { _: expect.any(String) }],
    ];
    for (const [body, details] of cases) {
      expect(await apiError(await post(siteId, { body }))).toMatchObject({ status: 400, code: "validation_failed", details });
    }
    expect(purges).toBe(0);
  });

  it("answers 404 for a site that does not exist", async () => {
    expect(await apiError(await post("no-such-site", { body: {} }))).toMatchObject({ status: 404, code: "not_found" });
  });
});
