import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readSettings, type Settings } from "../lib/env/settings";
import { dataDir } from "../lib/env/paths";
import { ensureDataDir } from "../lib/env/data-dir";
import { portErrorMessage } from "../lib/env/port-error";
import { createFirstAdmin, hasUsers } from "../lib/auth/users";
import { issueSetupCode } from "../lib/auth/setup-code";
import { closeDb } from "../lib/db";
import { ensureDashboardBuild } from "./dashboard-build";

/**
 * `npm start`: migrate, build the dashboard if needed, make sure an admin can exist, then run the
 * dashboard and the proxy side by side, restarting either if it crashes, and stopping both on
 * SIGTERM. The proxy keeps serving while the dashboard restarts.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const EXIT_CONFIG = 78;

process.umask(0o077); // the database, its WAL and the key file: owner only

let settings: Settings;
try {
  settings = readSettings();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir(), NEXT_TELEMETRY_DISABLED: "1" };
try {
  ensureDataDir();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

// Fail fast on a taken port, before a minute of migrating and building.
await assertPortFree(settings.DASHBOARD_PORT, settings.DASHBOARD_HOST, "DASHBOARD_PORT");
await run(bin("prisma"), ["migrate", "deploy"], "applying database migrations");
try {
  ensureDashboardBuild(root);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
await prepareAdmin();

const children = [
  supervise("dashboard", process.execPath, ["--import", "tsx", path.join(root, "scripts", "dashboard-server.ts")]),
  supervise("proxy", process.execPath, ["--import", "tsx", path.join(root, "proxy", "main.ts")]),
];
console.log(`Dashboard: http://${displayHost(settings.DASHBOARD_HOST)}:${settings.DASHBOARD_PORT}`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stopAll(0));

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map((child) => child.stop()));
  process.exit(code);
}

interface Supervised {
  stop(): Promise<void>;
}

function supervise(name: string, command: string, args: string[]): Supervised {
  let child: ChildProcess | null = null;
  let backoffMs = 1_000;
  let startedAt = 0;

  const start = () => {
    startedAt = Date.now();
    child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
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

async function prepareAdmin(): Promise<void> {
  if (!(await hasUsers())) {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = settings;
    if (email && password) {
      try {
        await createFirstAdmin(email, password);
        console.log(`Created the admin account ${email}.`);
      } catch (error) {
        const details = (error as { details?: Record<string, string> }).details ?? {};
        console.error(`ADMIN_EMAIL/ADMIN_PASSWORD were not accepted: ${Object.values(details).join("; ") || (error as Error).message}`);
        process.exit(1);
      }
    }
  }
  const code = await issueSetupCode();
  if (code) {
    const url = `http://${displayHost(settings.DASHBOARD_HOST)}:${settings.DASHBOARD_PORT}/setup`;
    console.log(
      [
        "",
        "  First run: open the dashboard and create the admin account with this one-time setup code:",
        "",
        `      Setup code: ${code}`,
        `      Open:       ${url}`,
        "",
      ].join("\n"),
    );
  }
  await closeDb();
}

function run(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "pipe" });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      if (code === 0) return resolve();
      console.error(`Failed while ${what}:\n${output}`);
      process.exit(1);
    });
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

function displayHost(host: string): string {
  return host === "0.0.0.0" || host === "::" ? "localhost" : host;
}
