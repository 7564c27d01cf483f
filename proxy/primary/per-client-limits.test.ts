import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startBackend, type Backend } from "../../test-support/backend";
import { startProxyOnDatabase, type ProxyOnDatabase } from "../../test-support/proxy-on-database";
import type { ProxyProcess } from "../../test-support/proxy-process";

/**
 * The real proxy with two workers: a client's limit is the site's limit, not the site's limit
 * per worker, because the primary hands all of an address's connections to the same worker.
 */
let product: ProxyOnDatabase;
let proxy: ProxyProcess;
let backend: Backend;

beforeAll(async () => {
  backend = await startBackend({ name: "limited" });
  product = await startProxyOnDatabase({ workers: 2 });
  proxy = product.proxy;
  await product.addSite({
    name: "Limited",
    hostnames: ["limited.test"],
    upstreams: [{ url: backend.url }],
    // A burst of 6, then one request every 100 seconds: the test never sees a refill.
    rateLimit: { requestsPerSecond: 0.01, burst: 6 },
  });
}, 60_000);

afterAll(async () => {
  await product?.close();
  await backend?.close();
});

/** Each request on a new connection: with round-robin accepting they would spread over both workers. */
function get(localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: proxy.httpPort, localAddress, headers: { host: "limited.test" }, agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

it("lets one address have exactly its burst, on however many connections, while another address has its own", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push(await get("127.0.3.1"));
  expect(statuses.filter((status) => status === 200)).toHaveLength(6);
  expect(statuses.slice(6).every((status) => status === 429)).toBe(true);
  expect(await get("127.0.3.2")).toBe(200);
}, 60_000);
