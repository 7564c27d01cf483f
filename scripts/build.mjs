// Builds what production runs, ahead of time: the launcher, the proxy and the dashboard's server
// compiled to plain JavaScript in dist/ (esbuild: a second or two), and the dashboard itself
// (next build: about a minute). Each part is rebuilt only when its sources changed since its last
// build, so `npm start` after an update builds once and then starts in seconds.
//
// Plain JavaScript on purpose: it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["generated", "node_modules"]);
const SHARED_INPUTS = ["lib", "package-lock.json", "tsconfig.json", "prisma/schema.prisma"];

const PARTS = [
  {
    name: "the proxy and the launcher",
    inputs: [...SHARED_INPUTS, "proxy", "scripts"],
    stamp: "dist/source-hash",
    build: compileServers,
  },
  {
    name: "the dashboard",
    inputs: [...SHARED_INPUTS, "app", "next.config.ts", "postcss.config.mjs"],
    stamp: ".next/source-hash",
    build: buildDashboard,
  },
];

/** Builds each part whose sources changed since its last build; prints what it does and how long it took. */
export async function ensureBuilt({ force = false } = {}) {
  const stale = PARTS.map((part) => ({ part, hash: sourceHash(part.inputs) })).filter(({ part, hash }) => force || readStamp(part.stamp) !== hash);
  for (const [index, { part, hash }] of stale.entries()) {
    const started = Date.now();
    console.log(`[build ${index + 1}/${stale.length}] Building ${part.name}...`);
    await part.build();
    writeFileSync(path.join(root, part.stamp), hash);
    console.log(`[build ${index + 1}/${stale.length}] Built ${part.name} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}

async function compileServers() {
  const esbuild = await import("esbuild");
  const entries = JSON.parse(readFileSync(path.join(root, "lib", "env", "entry-points.json"), "utf8"));
  rmSync(path.join(root, "dist"), { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries,
      outdir: "dist",
      bundle: true,
      // What the code imports lazily (import()) stays a chunk of its own, loaded when first used.
      splitting: true,
      chunkNames: "chunks/[name]-[hash]",
      platform: "node",
      format: "esm",
      target: "node20",
      // Packages stay in node_modules, loaded by Node as they are (native addons, Prisma's runtime).
      packages: "external",
      logLevel: "warning",
    });
  } finally {
    // esbuild keeps a helper process for later builds: none is wanted once this one is done.
    await esbuild.stop();
  }
}

function buildDashboard() {
  const result = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("The dashboard build failed (see above).");
}

/** A hash of everything a part's build reads, so a stale build is noticed after an update. */
function sourceHash(inputs) {
  const hash = createHash("sha256");
  const visit = (relative) => {
    const full = path.join(root, relative);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) if (!SKIP.has(name)) visit(path.join(relative, name));
    } else {
      hash.update(relative).update(readFileSync(full));
    }
  };
  inputs.forEach(visit);
  return hash.digest("hex");
}

function readStamp(stamp) {
  const file = path.join(root, stamp);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await ensureBuilt({ force: process.argv.includes("--force") });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
