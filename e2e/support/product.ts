import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unusedPort } from "@/test-support/backend";
import { START_ARGS } from "@/test-support/start-command";

export interface RunningProduct {
  /** The launcher's process id. */
  pid: number;
  dashboardUrl: string;
  httpPort: number;
  httpsPort: number;
  dataDir: string;
  /** Everything the launcher and its children printed so far. */
  log(): string;
  /** SIGTERM, as a service manager sends it; resolves with the launcher's exit code. Idempotent. */
  stop(): Promise<number | null>;
}

const root = path.resolve(import.meta.dirname, "..", "..");
/** `npm start` without npm: the compiled launcher, after a build check (npm test has built it). */
export const START_COMMAND = START_ARGS;

/**
 * Starts the product exactly as `npm start` does (the launcher), on free ports and an empty data
 * folder, and waits until the dashboard answers and the proxy listens.
 */
export async function startProduct(env: Record<string, string> = {}, options: { httpPort?: number } = {}): Promise<RunningProduct> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "gk-e2e-"));
  const [dashboardPort, httpsPort, controlPort] = await Promise.all([unusedPort(), unusedPort(), unusedPort()]);
  // A test may fix the HTTP port first, when something else (the ACME server) must know it.
  const httpPort = options.httpPort ?? (await unusedPort());
  let output = "";
  const child: ChildProcess = spawn(process.execPath, START_COMMAND, {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DASHBOARD_PORT: String(dashboardPort),
      DASHBOARD_HOST: "127.0.0.1",
      HTTP_PORT: String(httpPort),
      HTTPS_PORT: String(httpsPort),
      PROXY_HOST: "127.0.0.1",
      PROXY_CONTROL_PORT: String(controlPort),
      PROXY_WORKERS: "2",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const dashboardUrl = `http://127.0.0.1:${dashboardPort}`;
  const product: RunningProduct = {
    pid: child.pid ?? -1,
    dashboardUrl,
    httpPort,
    httpsPort,
    dataDir,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The product exited during start:\n${output}`);
    if (Date.now() > deadline) {
      await product.stop();
      throw new Error(`The product did not come up in time:\n${output}`);
    }
    if ((await answers(`${dashboardUrl}/login`)) && (await answers(`http://127.0.0.1:${httpPort}/`))) return product;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** The one-time setup code the launcher printed. */
export function setupCodeFrom(log: string): string {
  const match = log.match(/Setup code: ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/);
  if (!match?.[1]) throw new Error(`No setup code in the log:\n${log}`);
  return match[1];
}
