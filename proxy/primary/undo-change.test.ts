import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditChanges, undoAuditChange } from "@/lib/services/audit";
import { createSite, updateSite } from "@/lib/services/sites";
import { startBackend, type Backend, type EchoResponse } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { request } from "@/test-support/http-client";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";

/** An undo from the history reaches the real proxy process like any other change. */
let cleanup: () => Promise<void>;
let proxy: ProxyProcess;
let first: Backend;
let second: Backend;
const log = () => proxy?.log() ?? "";

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  first = await startBackend({ name: "first" });
  second = await startBackend({ name: "second", host: "::1" });
  proxy = await startProxyProcess();
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await first?.close();
  await second?.close();
  await cleanup?.();
});

const servedBy = async () => {
  const response = await request({ port: proxy.httpPort, host: "app.test" });
  return response.status === 200 ? (JSON.parse(response.body) as EchoResponse).backend : `HTTP ${response.status}`;
};

describe("undo from the history", () => {
  it("puts a site's previous upstream back in the proxy", { timeout: 60_000 }, async () => {
    const site = await createSite({ name: "App", hostnames: ["app.test"], upstreams: [{ url: first.url }] });
    await eventually(servedBy, (backend) => backend === "first", { log });
    await updateSite(site.id, { upstreams: [{ url: second.url }] });
    await eventually(servedBy, (backend) => backend === "second", { log });

    const [change] = await listAuditChanges({ objectType: "site", objectId: site.id });
    expect(change?.diff).toEqual([{ field: "upstreams.0.url", before: first.url, after: second.url }]);
    await undoAuditChange(change!.id);
    await eventually(servedBy, (backend) => backend === "first", { log });
  });
});
