import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CachePurge } from "../schemas/cache-purge";
import { startControlServer } from "@/proxy/primary/control-server";
import { useTempDatabase } from "@/test-support/database";
import { listAuditChanges } from "./audit";
import { purgeSiteCache } from "./cache-purge";
import { createSite } from "./sites";

/** The dashboard's purge, on a real SQLite file, asking a real control server on 127.0.0.1. */
let cleanup: () => Promise<void>;
let siteId: string;
let control: Server | undefined;
const asked: { siteId: string; purge: CachePurge }[] = [];

beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // no reload notices while creating the site
  siteId = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://127.0.0.1:8080" }] })).id;
  asked.length = 0;
});
afterEach(async () => {
  await new Promise<void>((resolve) => (control ? control.close(() => resolve()) : resolve()));
  control = undefined;
  await cleanup();
});

async function startProxyControl(): Promise<void> {
  control = await startControlServer(0, {
    onReload: () => undefined,
    preflight: async () => [],
    purgeCache: async (site, purge) => {
      asked.push({ siteId: site, purge });
      return 4;
    },
  });
  process.env.PROXY_CONTROL_PORT = String((control.address() as AddressInfo).port);
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("purgeSiteCache", () => {
  it("names the bad field and asks the proxy nothing", async () => {
    await startProxyControl();
    const cases: [unknown, Record<string, string>][] = [
      [{ prefix: "static/" }, { prefix: "Start the prefix with /, like /static/" }],
      [{ prefix: 5 }, { prefix: "Give the path prefix as text, like /static/" }],
      [{ url: "example.com/a.css" }, { url: "Give a URL starting with http://, https:// or /" }],
      [{ prefix: "/a/", url: "/a/b" }, { url: "Send a prefix or a URL, not both" }],
      [{ path: "/a" }, { path: "Unknown field: check its spelling, or leave it out" }],
    ];
    for (const [input, details] of cases) {
      expect(await failure(purgeSiteCache(siteId, input))).toMatchObject({ code: "validation_failed", status: 400, details });
    }
    expect(asked).toEqual([]);
  });

  it("answers 404 for a site that does not exist", async () => {
    await startProxyControl();
    expect(await failure(purgeSiteCache("no-such-site", {}))).toMatchObject({ code: "not_found", status: 404, message: "Site was not found" });
    expect(asked).toEqual([]);
  });

  it("asks the proxy for the site's purge, answers how many went, and records it in the history", async () => {
    await startProxyControl();
    expect(await purgeSiteCache(siteId, { prefix: "/static/" })).toEqual({ purged: 4 });
    expect(await purgeSiteCache(siteId, {})).toEqual({ purged: 4 });
    expect(asked).toEqual([
      { siteId, purge: { prefix: "/static/" } },
      { siteId, purge: {} },
    ]);
    const history = await listAuditChanges({ objectType: "site", objectId: siteId });
    // Both in the same millisecond, maybe: compared in any order.
    const purges = history.filter((entry) => entry.action === "cache-purge").map((entry) => entry.diff);
    expect(purges).toHaveLength(2);
    expect(purges).toEqual(
      expect.arrayContaining([
        [
          { field: "everything", before: null, after: true },
          { field: "purged", before: null, after: 4 },
        ],
        [
          { field: "prefix", before: null, after: "/static/" },
          { field: "purged", before: null, after: 4 },
        ],
      ]),
    );
  });

  it("says the proxy is not running when it cannot be asked, and records nothing", async () => {
    expect(await failure(purgeSiteCache(siteId, {}))).toMatchObject({ name: "ProxyUnreachableError", code: "internal" });
    const history = await listAuditChanges({ objectType: "site", objectId: siteId });
    expect(history.some((entry) => entry.action === "cache-purge")).toBe(false);
  });
});
