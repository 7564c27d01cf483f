import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { unusedPort } from "../test-support/backend";
import { formatSoakReport, runSoak } from "./bench-soak";

/**
 * `npm run bench`: a local backend, the real proxy (primary + workers) in front of it, and the
 * same load against both. Figures are only comparable within one run: report the ratios. Then a
 * soak (scripts/bench-soak.ts, BENCH_SOAK_SECONDS, 0 skips it) watches the proxy's memory under
 * many client IPs and paths.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const BODY = "hello from backend\n"; // 19 bytes, as in the reference measurements
const APPLY_ROUNDS = 10;
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
if (!Number.isFinite(SOAK_SECONDS) || SOAK_SECONDS < 0) throw new Error("BENCH_SOAK_SECONDS must be a number of seconds (0 skips the soak)");

interface Result {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const hasWrk = spawnSync("wrk", ["--version"]).error === undefined;

const backend = http.createServer((_request, response) => {
  response.writeHead(200, { "content-type": "text/plain", "content-length": BODY.length });
  response.end(BODY);
});
const backendPort = await listen(backend);
const other = http.createServer((_request, response) => response.end("other"));
const otherPort = await listen(other);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "gk-bench-"));
const [httpPort, httpsPort, controlPort] = await Promise.all([unusedPort(), unusedPort(), unusedPort()]);
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  HTTP_PORT: String(httpPort),
  HTTPS_PORT: String(httpsPort),
  PROXY_HOST: "127.0.0.1",
  PROXY_CONTROL_PORT: String(controlPort),
  PROXY_WORKERS: process.env.PROXY_WORKERS ?? String(os.availableParallelism()),
  LOG_LEVEL: "warn",
};
process.env.DATA_DIR = dataDir;
process.env.PROXY_CONTROL_PORT = String(controlPort);

let proxy: ChildProcess | null = null;
try {
  const migrate = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], { cwd: root, env });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr.toString()}`);
  const { createSite, updateSite } = await import("../lib/services/sites");
  const site = await createSite({ name: "bench", hostnames: ["bench.test"], upstreams: [{ url: `http://127.0.0.1:${backendPort}` }] });

  console.log(`Load: ${hasWrk ? "wrk" : "autocannon"}, ${CONNECTIONS} connections, ${DURATION_S}s each, ${env.PROXY_WORKERS} proxy workers, ${os.availableParallelism()} cores\n`);
  const direct = await load(`http://127.0.0.1:${backendPort}/`, "127.0.0.1");
  // The same proxy with traffic counting off, then on: what counting costs.
  proxy = await startProxy({ TRAFFIC_COUNTING: "off" });
  const uncounted = await load(`http://127.0.0.1:${httpPort}/`, "bench.test");
  await stopProxy(proxy);
  proxy = await startProxy({});
  const proxied = await load(`http://127.0.0.1:${httpPort}/`, "bench.test");
  const rows = [
    ["direct to backend", direct],
    ["through the proxy, traffic counting off", uncounted],
    ["through the proxy", proxied],
  ] as const;
  console.log("| path | requests/s | p50 ms | p99 ms | errors |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, r] of rows) {
    console.log(`| ${name} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} |`);
  }
  console.log(`\nProxy throughput is ${(proxied.requestsPerSecond / direct.requestsPerSecond).toFixed(2)}x direct.`);
  console.log(`Traffic counting keeps ${(proxied.requestsPerSecond / uncounted.requestsPerSecond).toFixed(3)}x of the throughput without it.`);

  // Save -> serving: how long after a saved upstream change the proxy answers from the new upstream.
  const delays: number[] = [];
  for (let round = 0; round < APPLY_ROUNDS; round++) {
    const [port, body] = round % 2 === 0 ? [otherPort, "other"] : [backendPort, BODY];
    const started = performance.now();
    await updateSite(site.id, { upstreams: [{ url: `http://127.0.0.1:${port}` }] });
    while ((await fetchBody(httpPort)) !== body) await new Promise((resolve) => setTimeout(resolve, 1));
    delays.push(performance.now() - started);
  }
  delays.sort((a, b) => a - b);
  console.log(
    `Config change to serving, ${APPLY_ROUNDS} saves: median ${delays[APPLY_ROUNDS >> 1]!.toFixed(0)} ms, worst ${delays.at(-1)!.toFixed(0)} ms.`,
  );

  // The same proxy (counting on, after the saves): memory under random paths and client IPs.
  if (SOAK_SECONDS > 0) {
    if (proxy.pid === undefined) throw new Error("the proxy has no pid to watch");
    console.log(`\nSoak for ${SOAK_SECONDS} s (BENCH_SOAK_SECONDS=0 skips it):`);
    const report = await runSoak({ seconds: SOAK_SECONDS, proxyPid: proxy.pid, proxyPort: httpPort, host: "bench.test", backend });
    console.log(`\n${formatSoakReport(report)}`);
  }
} finally {
  proxy?.kill("SIGTERM");
  backend.close();
  other.close();
  const { closeDb } = await import("../lib/db");
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
}

async function startProxy(extra: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "proxy", "main.ts")], {
    cwd: root,
    env: { ...env, ...extra },
    stdio: "inherit",
  });
  await waitForSite(httpPort);
  // Warm up (JIT, keep-alive pools, every worker up) so that the measured run is steady state.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await load(`http://127.0.0.1:${httpPort}/`, "bench.test", 2);
  return child;
}

async function stopProxy(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function load(url: string, host: string, seconds = DURATION_S): Promise<Result> {
  return hasWrk ? loadWithWrk(url, host, seconds) : loadWithAutocannon(url, host, seconds);
}

async function loadWithWrk(url: string, host: string, seconds: number): Promise<Result> {
  // Asynchronously: the backend lives in this process and must keep answering meanwhile.
  const wrk = spawn("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", "-H", `Host: ${host}`, url]);
  let out = "";
  wrk.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => wrk.once("exit", resolve));
  const ms = (label: string) => {
    const match = out.match(new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`));
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
  };
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return { requestsPerSecond: Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0), p50Ms: ms("50%"), p99Ms: ms("99%"), errors };
}

async function loadWithAutocannon(url: string, host: string, seconds: number): Promise<Result> {
  const { default: autocannon } = await import("autocannon");
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { host } });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

function fetchBody(port: number): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ port, host: "127.0.0.1", headers: { host: "bench.test" }, agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve(body));
      })
      .on("error", () => resolve(""));
  });
}

async function waitForSite(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get({ port, host: "127.0.0.1", headers: { host: "bench.test" } }, (response) => {
          response.resume();
          resolve(response.statusCode === 200);
        })
        .on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the proxy did not start serving the bench site within 30 s");
}
