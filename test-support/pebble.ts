import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { unusedPort } from "./backend";

/**
 * Let's Encrypt's test CA (Pebble) and its DNS/management companion (pebble-challtestsrv), both
 * from Debian, on free loopback ports. Every name resolves to 127.0.0.1 through challtestsrv's
 * DNS, so Pebble really fetches HTTP-01 answers from `httpPort` (the proxy under test).
 */
export interface Pebble {
  /** https://127.0.0.1:<port>/dir */
  directoryUrl: string;
  /** The PEM file of the certificate Pebble's own API serves: what ACME_CA_FILE must name. */
  caFile: string;
  /** The DNS server Pebble asks, "127.0.0.1:<port>": what DNS_SERVERS must name. */
  dnsServer: string;
  /** The root that signs issued certificates (it changes at every Pebble start). */
  rootPem(): Promise<string>;
  /** The intermediate(s) between the root and issued certificates. */
  intermediatesPem(): Promise<string>;
  /** Makes DNS answer these IPv4 addresses for a name (e.g. 127.0.0.2, where nothing listens). */
  pointHost(host: string, addresses: string[]): Promise<void>;
  /** Back to the default answer (127.0.0.1). */
  resetHost(host: string): Promise<void>;
  /** Everything both processes printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface PebbleOptions {
  /** The port Pebble's validation authority fetches HTTP-01 answers from. */
  httpPort: number;
  /** Extra environment for pebble (e.g. PEBBLE_AUTHZREUSE). */
  env?: Record<string, string>;
  /** "127.0.0.1:<port>": a DNS server of the test's own (BIND) for every lookup, instead of challtestsrv's. */
  dnsServer?: string;
}

const READY_TIMEOUT_MS = 30_000;

export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  const dir = mkdtempSync(path.join(tmpdir(), "gk-pebble-"));
  const certFile = path.join(dir, "pebble-cert.pem");
  const keyFile = path.join(dir, "pebble-key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "30",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const ca = readFileSync(certFile, "utf8");
  const [acmePort, managementPort, tlsPort, dnsPort, challtestPort] = (await distinctPorts(5)) as [number, number, number, number, number];

  writeFileSync(
    path.join(dir, "pebble.json"),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: certFile,
        privateKey: keyFile,
        httpPort: options.httpPort,
        tlsPort,
        ocspResponderURL: "",
        externalAccountBindingRequired: false,
      },
    }),
  );

  let output = "";
  const children: ChildProcess[] = [];
  const launch = (command: string, args: string[], env: Record<string, string> = {}) => {
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => (output += `${command}: ${error.message}\n`));
    children.push(child);
    return child;
  };
  // If the test process dies without stop(), take the CA down with it.
  const killAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killAll);

  launch("pebble-challtestsrv", [
    "-defaultIPv4",
    "127.0.0.1",
    "-defaultIPv6",
    "",
    "-dns01",
    `127.0.0.1:${dnsPort}`,
    "-http01",
    "",
    "-https01",
    "",
    "-tlsalpn01",
    "",
    "-management",
    `127.0.0.1:${challtestPort}`,
  ]);
  launch("pebble", ["-config", path.join(dir, "pebble.json"), "-dnsserver", options.dnsServer ?? `127.0.0.1:${dnsPort}`], {
    PEBBLE_VA_NOSLEEP: "1",
    PEBBLE_WFE_NONCEREJECT: "0",
    // Always a fresh authorization, so that a later order really validates again.
    PEBBLE_AUTHZREUSE: "0",
    ...options.env,
  });

  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  const stop = async () => {
    process.off("exit", killAll);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await until(async () => {
      for (const child of children) if (child.exitCode !== null) throw new Fatal(`${child.spawnfile} exited early`);
      await httpsText(directoryUrl, ca);
      await challtest(challtestPort, "/clear-a", { host: "ready.check.test" });
    });
  } catch (error) {
    const log = output;
    await stop();
    throw new Error(`Pebble did not start: ${(error as Error).message}\n${log}`);
  }

  return {
    directoryUrl,
    caFile: certFile,
    dnsServer: options.dnsServer ?? `127.0.0.1:${dnsPort}`,
    rootPem: () => httpsText(`https://127.0.0.1:${managementPort}/roots/0`, ca),
    intermediatesPem: () => httpsText(`https://127.0.0.1:${managementPort}/intermediates/0`, ca),
    pointHost: (host, addresses) => challtest(challtestPort, "/add-a", { host, addresses }),
    resetHost: (host) => challtest(challtestPort, "/clear-a", { host }),
    log: () => output,
    stop,
  };
}

class Fatal extends Error {}

async function until(probe: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (error instanceof Fatal || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await unusedPort());
  return [...ports];
}

function httpsText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, timeout: 5_000 }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`GET ${url}: HTTP ${response.statusCode}`))));
      })
      .on("timeout", function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${url}: timeout`));
      })
      .on("error", reject);
  });
}

function challtest(port: number, pathName: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, path: pathName, method: "POST", timeout: 5_000, headers: { "content-type": "application/json" } },
      (response) => {
        response.resume();
        response.on("end", () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`challtestsrv ${pathName}: HTTP ${response.statusCode}`)),
        );
      },
    );
    request.on("timeout", () => request.destroy(new Error(`challtestsrv ${pathName}: timeout`)));
    request.on("error", reject);
    request.end(payload);
  });
}
