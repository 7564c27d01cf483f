import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startProxyOnDatabase, type ProxyOnDatabase } from "@/test-support/proxy-on-database";

/**
 * An answer the cache may not keep (an API behind a cached site) costs the cache nothing after
 * the first: the requests that follow go to the upstream at once, side by side, never one at a
 * time behind a fetch that could not be shared. Through the real primary and worker.
 */
const CROWD = 10;
/** The upstream holds its answers until the whole crowd has arrived, or until this long. */
const GATHER_MS = 3_000;

let gateway: ProxyOnDatabase;
let upstream: http.Server;
let held: http.ServerResponse[] = [];
let mostAtOnce = 0;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const answer = (response: http.ServerResponse) => response.writeHead(200, { "cache-control": "no-store" }).end("personal");
    if (req.url !== "/gather") return answer(res);
    held.push(res);
    mostAtOnce = Math.max(mostAtOnce, held.length);
    const release = () => {
      for (const response of held) answer(response);
      held = [];
    };
    if (held.length === CROWD) release();
    else if (held.length === 1) setTimeout(release, GATHER_MS);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  gateway = await startProxyOnDatabase({ workers: 1 });
  await gateway.addSite({
    name: "api",
    hostnames: ["api.test"],
    cache: { enabled: true },
    upstreams: [{ url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` }],
    healthCheck: { enabled: false },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

function get(path: string): Promise<{ status: number; cache: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: gateway.proxy.httpPort, path, agent: false, headers: { host: "api.test" } }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, cache: res.headers["x-cache"] as string | undefined }));
      })
      .on("error", reject);
  });
}

it("sends a crowd's requests for an answer it may not keep to the upstream side by side", async () => {
  // The first answer says no-store: from now on the cache steps aside for this address.
  held.length = 0;
  const first = get("/gather");
  await new Promise((resolve) => setTimeout(resolve, 50));
  await first.catch(() => undefined);
  mostAtOnce = 0;
  const answers = await Promise.all(Array.from({ length: CROWD }, () => get("/gather")));
  expect(answers.every((answer) => answer.status === 200 && answer.cache === "MISS")).toBe(true);
  expect(mostAtOnce).toBe(CROWD);
}, 20_000);
