import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";

/**
 * The soak phase of `npm run bench`: many clients on many addresses asking for paths never seen
 * before, for minutes, while the RSS of the proxy primary and of every worker is sampled. Anything
 * the proxy keeps per client IP or per path (counters, rate limits, logs, caches) must stay bounded,
 * and this is the load that shows it when it does not: memory that climbs with time, not traffic.
 */

export interface SoakOptions {
  seconds: number;
  /** The proxy primary; its children are the workers. */
  proxyPid: number;
  proxyPort: number;
  /** Host header of the site under test. */
  host: string;
  /** The site's upstream: it reads X-Real-IP to confirm the proxy saw each client address. */
  backend: http.Server;
  connections?: number;
  sampleSeconds?: number;
}

export interface RssSample {
  atSeconds: number;
  primaryKb: number;
  workersKb: number;
  workers: number;
}

export interface SoakReport {
  seconds: number;
  warmupSeconds: number;
  sampleSeconds: number;
  connections: number;
  samples: RssSample[];
  requests: number;
  errors: number;
  /** Every path carries a sequence number, so each request's path is new. */
  distinctPaths: number;
  connectionsOpened: number;
  distinctIpsSent: number;
  /** Distinct X-Real-IP values the backend received: client addresses as the proxy saw them. */
  distinctIpsAtBackend: number;
  /** Worker pids seen over the run: more than the pool size means a worker died and was replaced. */
  workerPidsSeen: number;
}

const KB_PER_MB = 1024;
/** Requests per connection before it is closed and a new one opens from another address. */
const REQUESTS_PER_CONNECTION = { min: 50, max: 150 };

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const connections = options.connections ?? 32;
  const sampleSeconds = options.sampleSeconds ?? 10;
  // 60 s of a 10-minute run: JIT, pools and heaps settle before the baseline is taken.
  const warmupSeconds = Math.min(60, Math.round(options.seconds * 0.1));
  const started = performance.now();
  const elapsedSeconds = () => (performance.now() - started) / 1000;

  const seenAtBackend = new Set<string>();
  const onBackendRequest = (request: http.IncomingMessage) => {
    const ip = request.headers["x-real-ip"];
    if (typeof ip === "string") seenAtBackend.add(ip);
  };
  options.backend.on("request", onBackendRequest);

  const load = new LoadGenerator(options.proxyPort, options.host);
  const workerPids = new Set<number>();
  const samples: RssSample[] = [];
  const sample = () => {
    const primaryKb = rssKb(options.proxyPid);
    // Say so plainly: a vanished primary would otherwise read as a 0 MB "drop" in the table.
    if (primaryKb === null) console.log("  soak: the proxy primary has exited");
    const workers = childPids(options.proxyPid);
    workers.forEach((pid) => workerPids.add(pid));
    const entry: RssSample = {
      atSeconds: Math.round(elapsedSeconds()),
      primaryKb: primaryKb ?? 0,
      workersKb: workers.reduce((total, pid) => total + (rssKb(pid) ?? 0), 0),
      workers: workers.length,
    };
    samples.push(entry);
    console.log(
      `  soak ${String(entry.atSeconds).padStart(4)} s: primary ${mb(entry.primaryKb)}, ${entry.workers} workers ${mb(entry.workersKb)}, ${load.requests.toLocaleString("en-US")} requests`,
    );
  };

  const deadline = started + options.seconds * 1000;
  const sampler = setInterval(sample, sampleSeconds * 1000);
  try {
    sample();
    await Promise.all(Array.from({ length: connections }, () => load.runLane(deadline)));
  } finally {
    clearInterval(sampler);
    options.backend.off("request", onBackendRequest);
  }
  // The end of the run, unless the timer has just taken that sample.
  if (elapsedSeconds() - (samples.at(-1)?.atSeconds ?? 0) >= 1) sample();

  return {
    seconds: options.seconds,
    warmupSeconds,
    sampleSeconds,
    connections,
    samples,
    requests: load.requests,
    errors: load.errors,
    distinctPaths: load.sequence,
    connectionsOpened: load.connectionsOpened,
    distinctIpsSent: load.addresses.size,
    distinctIpsAtBackend: seenAtBackend.size,
    workerPidsSeen: workerPids.size,
  };
}

/**
 * Keep-alive clients, each an http.Agent with one socket bound to its own 127.x.y.z (all of
 * 127.0.0.0/8 is loopback on Linux), so the proxy sees a different client IP per connection.
 */
class LoadGenerator {
  requests = 0;
  errors = 0;
  sequence = 0;
  connectionsOpened = 0;
  readonly addresses = new Set<string>();

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {}

  /** One connection at a time, replaced every 50 to 150 requests, until the deadline. */
  async runLane(deadline: number): Promise<void> {
    while (performance.now() < deadline) {
      const localAddress = randomLoopbackAddress();
      this.addresses.add(localAddress);
      this.connectionsOpened += 1;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
      const count = randomInt(REQUESTS_PER_CONNECTION.min, REQUESTS_PER_CONNECTION.max);
      try {
        for (let sent = 0; sent < count && performance.now() < deadline; sent++) await this.request(agent);
      } finally {
        agent.destroy();
      }
    }
  }

  private request(agent: http.Agent): Promise<void> {
    // The sequence number after the last "-" makes every path new; the random parts vary their shape.
    const path = `/p/${randomToken()}-${(this.sequence++).toString(36)}?q=${randomToken()}`;
    return new Promise((resolve) => {
      const fail = () => {
        this.errors += 1;
        resolve();
      };
      http
        .get({ host: "127.0.0.1", port: this.port, path, agent, headers: { host: this.host } }, (response) => {
          response.resume();
          response.once("end", () => {
            this.requests += 1;
            if (response.statusCode !== 200) this.errors += 1;
            resolve();
          });
          response.once("error", fail);
        })
        .once("error", fail);
    });
  }
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** 127.1.0.1 to 127.254.255.254: never 127.0.0.1 (the generator's own default) nor a .0/.255 host. */
function randomLoopbackAddress(): string {
  return `127.${randomInt(1, 254)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
}

function randomToken(): string {
  return Math.random()
    .toString(36)
    .slice(2, 2 + randomInt(4, 10));
}

/** VmRSS of a process in kB, or null once it has gone. */
function rssKb(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The children of a process, read from /proc/<pid>/stat of every process (what `pgrep -P` does):
 * /proc/<pid>/task/<tid>/children needs a kernel option that not every kernel has.
 */
function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent) children.push(Number(name));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return children;
}

const mb = (kb: number): string => `${(kb / KB_PER_MB).toFixed(1)} MB`;

/** A markdown table of RSS after warm-up, at the end and at most, with the ratios, and a summary line. */
export function formatSoakReport(report: SoakReport): string {
  const measured = report.samples.filter((entry) => entry.atSeconds >= report.warmupSeconds);
  const first = measured[0];
  const last = measured.at(-1);
  if (!first || !last) return "Soak: no samples after the warm-up (run longer).";
  const row = (name: string, pick: (entry: RssSample) => number) => {
    const start = pick(first);
    const end = pick(last);
    const max = Math.max(...measured.map(pick));
    return `| ${name} | ${mb(start)} | ${mb(end)} | ${mb(max)} | ${(end / start).toFixed(2)}x | ${(max / start).toFixed(2)}x | ${trendMbPerMinute(measured, pick)} |`;
  };
  const workers = Math.max(...report.samples.map((entry) => entry.workers));
  const n = (value: number) => value.toLocaleString("en-US");
  return [
    `Soak: ${report.seconds} s through the proxy, ${report.connections} keep-alive connections each replaced every ${REQUESTS_PER_CONNECTION.min}-${REQUESTS_PER_CONNECTION.max} requests from a new 127.x.y.z; RSS sampled every ${report.sampleSeconds} s, measured from ${first.atSeconds} s (after a ${report.warmupSeconds} s warm-up).`,
    "",
    `| process | RSS after warm-up | RSS at end | max | end / start | max / start | trend |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    row("proxy primary", (entry) => entry.primaryKb),
    row(`${workers} workers (summed)`, (entry) => entry.workersKb),
    "",
    `${n(report.requests)} requests (${n(Math.round(report.requests / report.seconds))}/s, ${n(report.errors)} errors), ${n(report.distinctPaths)} distinct paths, ` +
      `${n(report.distinctIpsSent)} distinct client IPs sent (${n(report.connectionsOpened)} connections), ` +
      `${n(report.distinctIpsAtBackend)} distinct client IPs forwarded by the proxy (X-Real-IP at the backend)` +
      (report.workerPidsSeen > workers ? `; ${report.workerPidsSeen - workers} worker(s) replaced during the run.` : "."),
  ].join("\n");
}

/** Least-squares slope of RSS over time, in MB per minute: near 0 when flat, whatever the noise. */
function trendMbPerMinute(samples: RssSample[], pick: (entry: RssSample) => number): string {
  if (samples.length < 2) return "n/a";
  const xs = samples.map((entry) => entry.atSeconds / 60);
  const ys = samples.map((entry) => pick(entry) / KB_PER_MB);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, index) => {
    covariance += (x - meanX) * (ys[index]! - meanY);
    variance += (x - meanX) ** 2;
  });
  const slope = variance > 0 ? covariance / variance : 0;
  return `${slope >= 0 ? "+" : ""}${slope.toFixed(2)} MB/min`;
}
