import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { readSettings, type Settings } from "../lib/env/settings";
import { dataDir } from "../lib/env/paths";
import { ensureDataDir } from "../lib/env/data-dir";
import { portErrorMessage } from "../lib/env/port-error";
import { displayHost } from "../lib/env/display-host";
import { ALLOCATOR_ENV, appRoot, entryPoint, type EntryPoint } from "../lib/env/entry-points";

/**
 * `npm start` (after scripts/start.mjs has built what changed): prepares the database, runs the
 * dashboard as a child it restarts if it crashes, and is itself the proxy primary (which restarts
 * its workers). SIGTERM stops everything. The primary runs here rather than in a process of its
 * own: a Node process costs about 50 MB before it does anything, and the primary serves no
 * traffic; if it ever crashes, the service manager starts the whole product again.
 */
const EXIT_CONFIG = 78;

process.umask(0o077); // the database, its WAL and the key file: owner only

let settings: Settings;
try {
  settings = readSettings();
  ensureDataDir();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const env: NodeJS.ProcessEnv = { ...ALLOCATOR_ENV, ...process.env, DATA_DIR: dataDir(), NEXT_TELEMETRY_DISABLED: "1" };

// Fail fast on a taken port, before migrating.
await assertPortFree(settings.DASHBOARD_PORT, settings.DASHBOARD_HOST, "DASHBOARD_PORT");
await runOnce("prepare");

const dashboard = supervise("dashboard");
// Loaded after the prepare step: it opens the database the prepare step migrates.
const { startPrimary } = await import("../proxy/primary/start-primary");
const primary = await startPrimary((code) => void stopAll(code === EXIT_CONFIG ? 1 : code));
console.log(`Dashboard: http://${displayHost(settings.DASHBOARD_HOST)}:${settings.DASHBOARD_PORT}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stopAll(0));
// However this process ends, the dashboard does not outlive it.
process.on("exit", () => dashboard.kill());

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([dashboard.stop(), primary.stop()]);
  process.exit(code);
}

interface Supervised {
  stop(): Promise<void>;
  /** At once, without waiting: for when this process exits. */
  kill(): void;
}

function supervise(name: EntryPoint): Supervised {
  const { file, execArgv } = entryPoint(name);
  let child: ChildProcess | null = null;
  let backoffMs = 1_000;
  let startedAt = 0;

  const start = () => {
    startedAt = Date.now();
    child = spawn(process.execPath, [...execArgv, file], { cwd: appRoot, env, stdio: "inherit" });
    console.log(`${name} started (pid ${child.pid})`);
    child.on("exit", (code, signal) => {
      child = null;
      if (stopping) return;
      if (code === EXIT_CONFIG) {
        void stopAll(1);
        return;
      }
      // A child that ran for a while gets a fresh backoff; one that crash-loops waits longer each time.
      if (Date.now() - startedAt > 60_000) backoffMs = 1_000;
      console.error(`${name} exited (${signal ?? `code ${code}`}); restarting in ${backoffMs / 1000}s`);
      setTimeout(start, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 30_000);
    });
  };
  start();

  return {
    kill: () => child?.kill("SIGTERM"),
    stop: () =>
      new Promise<void>((resolve) => {
        const running = child;
        if (!running) return resolve();
        const timer = setTimeout(() => running.kill("SIGKILL"), 15_000);
        running.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        running.kill("SIGTERM");
      }),
  };
}

/** Runs an entry point to its end; exits when it fails (it said why). */
function runOnce(entry: EntryPoint): Promise<void> {
  const { file, execArgv } = entryPoint(entry);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...execArgv, file], { cwd: appRoot, env, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : process.exit(1)));
  });
}

function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      console.error(portErrorMessage(port, error.code ?? "unknown", setting));
      process.exit(1);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
