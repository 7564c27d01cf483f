import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { unusedPort } from "@/test-support/backend";
import { createSite, getSite, updateSite } from "@/lib/services/sites";
import { createCertificate } from "@/lib/services/certificates";
import { getStatus } from "@/lib/services/status";
import { db } from "@/lib/db";

/**
 * The whole proxy process (primary + two cluster workers) against a real SQLite file, changed
 * through the same services the dashboard uses: the config pipeline end to end.
 */
let cleanup: () => Promise<void>;
let proxy: ChildProcess;
let httpPort: number;
const backends: http.Server[] = [];
let backendA: number;
let backendB: number;
let proxyLog = "";

function backend(name: string): Promise<number> {
  const server = http.createServer((request, response) => {
    const delay = Number(new URL(request.url ?? "/", "http://x").searchParams.get("delay") ?? 0);
    setTimeout(() => response.end(`backend ${name}`), delay);
  });
  backends.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

function get(host: string, pathName = "/"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: httpPort, path: pathName, headers: { host }, agent: keepAlive }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}\nproxy log:\n${proxyLog}`);
}

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  [backendA, backendB, httpPort] = await Promise.all([backend("A"), backend("B"), unusedPort()]);
  const [httpsPort, controlPort] = await Promise.all([unusedPort(), unusedPort()]);
  process.env.PROXY_CONTROL_PORT = String(controlPort);
  proxy = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "..", "main.ts")], {
    env: {
      ...process.env,
      HTTP_PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      PROXY_HOST: "127.0.0.1",
      PROXY_WORKERS: "2",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proxy.stdout?.on("data", (chunk: Buffer) => (proxyLog += chunk.toString()));
  proxy.stderr?.on("data", (chunk: Buffer) => (proxyLog += chunk.toString()));
  await eventually(
    () => get("nothing.test"),
    (response) => response.status === 404,
    30_000,
  );
});

afterAll(async () => {
  const exited = new Promise((resolve) => proxy.once("exit", resolve));
  proxy.kill("SIGTERM");
  await exited;
  keepAlive.destroy();
  for (const server of backends) server.close();
  await cleanup();
});

describe("live config through the proxy primary and its workers", () => {
  it("serves a newly saved site, and reports it applied", async () => {
    const site = await createSite({ name: "App", hostnames: ["app.test"], upstreams: [{ url: `http://127.0.0.1:${backendA}` }] });
    await eventually(
      () => get("app.test"),
      (response) => response.body === "backend A",
    );
    const applied = await eventually(
      () => getSite(site.id),
      (s) => s.status.applied,
    );
    expect(applied.status).toEqual({ applied: true, appliedRevision: 1, error: null });
    const status = await getStatus();
    expect(status).toMatchObject({ configRevision: 1, appliedRevision: 1, proxy: { up: true, workers: 2 } });
  });

  it("switches upstreams while requests are in flight, failing none", async () => {
    const site = (await db().site.findFirstOrThrow({ where: { name: "App" } })).id;
    const results: { status: number; body: string }[] = [];
    let switched = false;
    const load = (async () => {
      // Keep a steady stream of slow and fast requests going across the switch.
      // Rounds before the switch, and a few more once B answers, however slow the machine is.
      let roundsOnB = 0;
      for (let round = 0; round < 200 && roundsOnB < 3; round++) {
        results.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => get("app.test", `/?delay=${i * 5}`)))));
        if (switched && results.at(-1)?.body === "backend B") roundsOnB++;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await updateSite(site, { upstreams: [{ url: `http://127.0.0.1:${backendB}` }] });
    switched = true;
    await load;
    expect(results.length).toBeGreaterThanOrEqual(24);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.at(-1)?.body).toBe("backend B");
    expect(new Set(results.map((r) => r.body))).toEqual(new Set(["backend A", "backend B"]));
  });

  it("shows a broken site's error on that site while the others keep serving", async () => {
    const { certificate } = await createCertificate({ type: "self-signed", domains: ["broken.test"] });
    const broken = await createSite({
      name: "Broken",
      hostnames: ["broken.test"],
      upstreams: [{ url: `http://127.0.0.1:${backendA}` }],
      certificateId: certificate.id,
    });
    await eventually(
      () => get("broken.test"),
      (response) => response.body === "backend A",
    );
    // Damage the stored key behind the services' back, as a bad disk or a bad restore would.
    await db().certificate.update({ where: { id: certificate.id }, data: { privateKeyEnc: "v1:garbage" } });
    await updateSite(broken.id, { name: "Broken (renamed)" });

    const failed = await eventually(
      () => getSite(broken.id),
      (s) => s.status.error !== null,
    );
    expect(failed.status.applied).toBe(false);
    expect(failed.status.error).toMatch(/certificate|key/i);
    expect((await get("app.test")).body).toBe("backend B");
    // The broken site still serves plain HTTP; HTTPS visitors get the fallback certificate, and the error says why.
    expect((await get("broken.test")).body).toBe("backend A");
    expect(failed.status.error).toMatch(/^The certificate for this site cannot be used: This is not a sealed private key/);
  });

  it("falls back to polling when the notification never arrives", async () => {
    process.env.PROXY_CONTROL_PORT = "1"; // the services now notify nobody
    await createSite({ name: "Polled", hostnames: ["polled.test"], upstreams: [{ url: `http://127.0.0.1:${backendA}` }] });
    await eventually(
      () => get("polled.test"),
      (response) => response.body === "backend A",
      5_000,
    );
  });
});
