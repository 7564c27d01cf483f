import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { unusedPort } from "./backend";

/** The whole proxy (primary + workers) as a child process on free loopback ports. */
export interface ProxyProcess {
  httpPort: number;
  httpsPort: number;
  controlPort: number;
  child: ChildProcess;
  /** Everything it printed so far, for failure messages. */
  log(): string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

export interface ProxyProcessOptions {
  /** Taken instead of a free port (e.g. a port another server must know first). */
  httpPort?: number;
  workers?: number;
  env?: Record<string, string>;
}

/**
 * Starts `node --import tsx proxy/main.ts` with DATA_DIR as the test process has it (see
 * useTempDatabase), and points this process's PROXY_CONTROL_PORT at it so that the services'
 * notifications and askProxy() reach it. Does not wait for it to listen.
 */
export async function startProxyProcess(options: ProxyProcessOptions = {}): Promise<ProxyProcess> {
  const httpPort = options.httpPort ?? (await unusedPort());
  let httpsPort = await unusedPort();
  let controlPort = await unusedPort();
  while (httpsPort === httpPort) httpsPort = await unusedPort();
  while (controlPort === httpPort || controlPort === httpsPort) controlPort = await unusedPort();
  process.env.PROXY_CONTROL_PORT = String(controlPort);
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "..", "proxy", "main.ts")], {
    env: {
      ...process.env,
      HTTP_PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      PROXY_CONTROL_PORT: String(controlPort),
      PROXY_HOST: "127.0.0.1",
      PROXY_WORKERS: String(options.workers ?? 2),
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    httpPort,
    httpsPort,
    controlPort,
    child,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls until accept() holds (errors count as "not yet"); fails with the last value and a log. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; log?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
  throw new Error(
    `condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}` +
      (lastError ? `; last error: ${String(lastError)}` : "") +
      (options.log ? `\nlog:\n${options.log()}` : ""),
  );
}
