import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlAuthorization } from "@/lib/config/control-secret";
import type { CachePurge } from "@/lib/schemas/cache-purge";
import { type ControlHandlers, startControlServer } from "./control-server";

/** POST /cache/purge on a real control server on 127.0.0.1: what reaches the handler, and what never does. */
let dataDir: string;
let withPurge: http.Server;
let withoutPurge: http.Server;
const asked: { siteId: string; purge: CachePurge }[] = [];

const base: ControlHandlers = { onReload: () => undefined, preflight: async () => [] };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "gk-purge-"));
  process.env.DATA_DIR = dataDir;
  withPurge = await startControlServer(0, {
    ...base,
    purgeCache: async (siteId, purge) => {
      asked.push({ siteId, purge });
      if (siteId === "breaks") throw new Error("the store is gone");
      return purge.prefix !== undefined ? 3 : purge.url !== undefined ? 1 : 7;
    },
  });
  withoutPurge = await startControlServer(0, base);
});
afterAll(async () => {
  await Promise.all([withPurge, withoutPurge].map((server) => new Promise((resolve) => server?.close(resolve))));
  rmSync(dataDir, { recursive: true, force: true });
});

function post(
  server: http.Server,
  body: string,
  headers: Record<string, string> = controlAuthorization(),
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: (server.address() as AddressInfo).port,
        method: "POST",
        path: "/cache/purge",
        headers: { "content-type": "application/json", ...headers },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const purge = (body: unknown) => post(withPurge, JSON.stringify(body));

describe("POST /cache/purge", () => {
  it("hands the site and the purge to the handler and answers how many went", async () => {
    asked.length = 0;
    expect(await purge({ siteId: "s1" })).toEqual({ status: 200, body: JSON.stringify({ purged: 7 }) });
    expect(await purge({ siteId: "s1", prefix: "/static/" })).toEqual({ status: 200, body: JSON.stringify({ purged: 3 }) });
    expect(await purge({ siteId: "s2", url: "https://blog.example.com/a.css?v=2" })).toEqual({ status: 200, body: JSON.stringify({ purged: 1 }) });
    expect(asked).toEqual([
      { siteId: "s1", purge: {} },
      { siteId: "s1", purge: { prefix: "/static/" } },
      { siteId: "s2", purge: { url: "https://blog.example.com/a.css?v=2" } },
    ]);
  });

  it("answers 400 with the first problem, and never calls the handler", async () => {
    asked.length = 0;
    const cases: [unknown, string][] = [
      [{}, "Send the site's id as siteId"],
      [{ siteId: "" }, "Send the site's id as siteId"],
      [{ siteId: 5 }, "Send the site's id as siteId"],
      [[], 'Send {"siteId": "...", "prefix"?: "/static/", "url"?: "/a.css"}'],
      [null, 'Send {"siteId": "...", "prefix"?: "/static/", "url"?: "/a.css"}'],
      [{ siteId: "s1", prefix: "static" }, "Start the prefix with /, like /static/"],
      [{ siteId: "s1", url: "ftp://example.com/a" }, "Give a URL starting with http://, https:// or /"],
      [{ siteId: "s1", prefix: "/a/", url: "/a/b" }, "Send a prefix or a URL, not both"],
    ];
    for (const [body, error] of cases) {
      expect({ body, answer: await purge(body) }).toEqual({ body, answer: { status: 400, body: JSON.stringify({ error }) } });
    }
    const unknown = await purge({ siteId: "s1", everything: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain("everything");
    expect(await post(withPurge, "{not json")).toEqual({ status: 400, body: JSON.stringify({ error: "The request body is not JSON" }) });
    expect(asked).toEqual([]);
  });

  it("answers 500 with the handler's failure", async () => {
    expect(await purge({ siteId: "breaks" })).toEqual({ status: 500, body: JSON.stringify({ error: "the store is gone" }) });
  });

  it("answers 404 when the proxy has no purge handler, and 401 without the secret", async () => {
    expect((await post(withoutPurge, JSON.stringify({ siteId: "s1" }))).status).toBe(404);
    asked.length = 0;
    expect((await post(withPurge, JSON.stringify({ siteId: "s1" }), { authorization: "Bearer wrong" })).status).toBe(401);
    expect(asked).toEqual([]);
  });
});
