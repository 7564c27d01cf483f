import { spawn, spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { unusedPort } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { createFirstAdmin } from "@/lib/auth/users";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { appRoot } from "@/lib/env/entry-points";
import { closeDb } from "@/lib/db";
import { generateSelfSigned } from "@/lib/certs/self-signed";
import { sealPrivateKey } from "@/lib/certs/key-crypto";
import { databasePath } from "@/lib/env/paths";
import { createCertificate } from "@/lib/services/certificates";
import { createSite } from "@/lib/services/sites";
import { measureConfigApply, type ApplyDelays } from "./config-apply";
import { waitUntilServing } from "./targets";
import { START_ARGS } from "@/test-support/start-command";
import { BENCH_HOSTNAME } from "./certificate";

/**
 * Idle means idle: the processes settle this long before they are measured. V8 gives memory back
 * to the system only after some idle garbage collections, which take about a minute after the
 * start and the first page views (the peak column shows what they used meanwhile).
 */
const SETTLE_MS = 60_000;
const START_TIMEOUT_MS = 120_000;
const APPLY_ROUNDS = 5;
const DASHBOARD_PAGES = ["/", "/sites", "/certificates", "/traffic", "/api/v1/sites"];

export interface ProcessMemory {
  role: string;
  /** Resident set: what `ps` and `top` show; pages shared with other processes count in each. */
  rssMb: number;
  /** Proportional set: shared pages divided among the processes that share them (adds up honestly). */
  pssMb: number;
  /** The highest resident set since the process started. */
  peakMb: number;
}

export interface Footprint {
  sites: number;
  /** From `npm start` to the first site's answer through the proxy. */
  startMs: number;
  processes: ProcessMemory[];
  apply: ApplyDelays;
}

export interface FootprintBackends {
  /** Two backends answering different bodies: the apply measurement switches a site between them. */
  backends: Array<{ port: number; body: string }>;
}

/**
 * The whole product as `npm start` runs it (the launcher with the proxy primary, the dashboard, the workers,
 * compiled), on a database with `sites` sites each on its own certificate: memory of each process
 * after the dashboard has shown every page once and all is idle, and how long a one-site change
 * takes to be served.
 */
export async function measureFootprint(sites: number, { backends }: FootprintBackends, workers: number): Promise<Footprint> {
  const { dataDir, cleanup } = await useTempDatabase();
  try {
    const first = await seedSites(sites, backends[0]!.port);
    const admin = await createFirstAdmin("bench@example.com", "bench-password-long-enough");
    const { token } = await createSession(admin.id);
    await closeDb();

    // Built beforehand, so the start is timed as an installed tree starts.
    const build = spawnSync(process.execPath, [path.join(appRoot, "scripts", "build.mjs")], { cwd: appRoot, stdio: "inherit" });
    if (build.status !== 0) throw new Error("the build failed");
    const [dashboardPort, httpPort, httpsPort, controlPort] = await distinctPorts(4);
    process.env.PROXY_CONTROL_PORT = String(controlPort); // the services' notifications reach this proxy
    const started = performance.now();
    const child = spawn(process.execPath, START_ARGS, {
      cwd: appRoot,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DASHBOARD_PORT: String(dashboardPort),
        DASHBOARD_HOST: "127.0.0.1",
        HTTP_PORT: String(httpPort),
        HTTPS_PORT: String(httpsPort),
        PROXY_HOST: "127.0.0.1",
        PROXY_CONTROL_PORT: String(controlPort),
        PROXY_WORKERS: String(workers),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      const siteUrl = `http://${first.hostname}:${httpPort}/`;
      await waitUntilServing(siteUrl, START_TIMEOUT_MS, () => (child.exitCode !== null ? `the product exited: ${log}` : null));
      const startMs = performance.now() - started;
      // The proxy may serve before the dashboard has started.
      await waitUntilServing(`http://127.0.0.1:${dashboardPort}/login`, START_TIMEOUT_MS, () =>
        child.exitCode !== null ? `the product exited: ${log}` : null,
      );
      for (const page of DASHBOARD_PAGES) {
        const response = await fetch(`http://127.0.0.1:${dashboardPort}${page}`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
        if (response.status !== 200) throw new Error(`The dashboard answered ${response.status} for ${page}: ${log}`);
        await response.arrayBuffer();
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const processes = memoryOfTree(child.pid!);
      const apply = await measureConfigApply(first.id, siteUrl, backends, APPLY_ROUNDS);
      return { sites, startMs, processes, apply };
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  } finally {
    await cleanup();
  }
}

/**
 * `count` sites, each on its own certificate and the backend; returns the first, which answers to
 * BENCH_HOSTNAME (it resolves to this machine). The first MADE_BY_SERVICES are made as the
 * dashboard makes them, each with its own EC P-256 certificate; the rest are copies of the last
 * one written straight into the database (the services take minutes for 10,000), each with its
 * own id, hostname and freshly sealed key: a distinct certificate version, the same PEM text.
 */
const MADE_BY_SERVICES = 1_000;

async function seedSites(count: number, backendPort: number): Promise<{ id: string; hostname: string }> {
  let first: { id: string; hostname: string } | null = null;
  let last: { siteId: string; certificateId: string; privateKeyPem: string } | null = null;
  for (let index = 0; index < Math.min(count, MADE_BY_SERVICES); index++) {
    const hostname = index === 0 ? BENCH_HOSTNAME : `site-${index}.bench.test`;
    const generated = await generateSelfSigned([hostname]);
    const { certificate } = await createCertificate({
      type: "upload",
      name: hostname,
      certificatePem: generated.certificatePem,
      privateKeyPem: generated.privateKeyPem,
    });
    const site = await createSite({
      name: hostname,
      hostnames: [hostname],
      upstreams: [{ url: `http://127.0.0.1:${backendPort}` }],
      certificateId: certificate.id,
    });
    first ??= { id: site.id, hostname };
    last = { siteId: site.id, certificateId: certificate.id, privateKeyPem: generated.privateKeyPem };
  }
  if (first === null || last === null) throw new Error("a footprint needs at least one site");
  if (count > MADE_BY_SERVICES) copySites(last, count - MADE_BY_SERVICES);
  return first;
}

function copySites(template: { siteId: string; certificateId: string; privateKeyPem: string }, copies: number): void {
  const sqlite = new Database(databasePath());
  const copyRow = (table: string, id: string, changes: Record<string, unknown>) => {
    const row = sqlite.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown>;
    const values = { ...row, ...changes };
    const columns = Object.keys(values);
    sqlite
      .prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
      .run(...columns.map((column) => values[column]));
  };
  const upstream = sqlite.prepare(`SELECT id FROM "Upstream" WHERE siteId = ?`).get(template.siteId) as { id: string };
  sqlite.transaction(() => {
    for (let index = 0; index < copies; index++) {
      const hostname = `copy-${index}.bench.test`;
      const [siteId, certificateId] = [`bench-site-${index}`, `bench-certificate-${index}`];
      copyRow("Certificate", template.certificateId, {
        id: certificateId,
        name: hostname,
        domains: JSON.stringify([hostname]),
        privateKeyEnc: sealPrivateKey(template.privateKeyPem),
      });
      copyRow("Site", template.siteId, { id: siteId, name: hostname, certificateId });
      sqlite.prepare(`INSERT INTO "Hostname" (hostname, siteId, position) VALUES (?, ?, 0)`).run(hostname, siteId);
      copyRow("Upstream", upstream.id, { id: `bench-upstream-${index}`, siteId });
    }
    sqlite.prepare(`UPDATE "ConfigRevision" SET revision = revision + 1`).run();
  })();
  sqlite.close();
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await unusedPort());
  return [...ports];
}

/** Each process of the tree under `pid`, named by what it runs. */
function memoryOfTree(pid: number): ProcessMemory[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent pid is the 2nd field after the command, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const visit = (each: number) => {
    tree.push(each);
    for (const child of parents.get(each) ?? []) visit(child);
  };
  visit(pid);
  return tree.flatMap((each) => {
    try {
      const command = readFileSync(`/proc/${each}/cmdline`, "utf8").split("\0");
      const script = command.find((arg) => arg.endsWith(".js") || arg.endsWith(".mjs")) ?? command[0] ?? "?";
      const role = each === pid ? "launcher" : path.basename(script).replace(/\.m?js$/, "");
      return [{ role, rssMb: statusKb(each, "VmRSS") / 1024, pssMb: rollupKb(each, "Pss") / 1024, peakMb: statusKb(each, "VmHWM") / 1024 }];
    } catch {
      return [];
    }
  });
}

function statusKb(pid: number, field: string): number {
  const match = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return Number(match?.[1] ?? 0);
}

function rollupKb(pid: number, field: string): number {
  const match = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return Number(match?.[1] ?? 0);
}
