import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import entries from "./entry-points.json";

export type EntryPoint = keyof typeof entries;

/**
 * Production runs the entry points compiled to dist/ by scripts/build.mjs; development and tests
 * run their TypeScript sources through tsx. Which one this process is follows from its own code:
 * compiled, this module is part of a .js bundle in dist/.
 */
const here = fileURLToPath(import.meta.url);
const compiled = !here.endsWith(".ts");

/** The project folder (where package.json, node_modules and dist/ are), above this module wherever it was compiled to. */
export const appRoot = projectFolderAbove(path.dirname(here));

function projectFolderAbove(dir: string): string {
  if (existsSync(path.join(dir, "package.json"))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error(`No package.json above ${here}`);
  return projectFolderAbove(parent);
}

/**
 * V8's young generation grows to 3 x 16 MB under a burst of allocation and keeps it: right for a
 * worker under load, wasted on processes that are idle most of the time (about 20-30 MB each).
 */
const SMALL_YOUNG_GENERATION = "--max-semi-space-size=1";
const NODE_FLAGS: Record<EntryPoint, string[]> = {
  launcher: [],
  prepare: [SMALL_YOUNG_GENERATION],
  dashboard: [SMALL_YOUNG_GENERATION],
  proxy: [SMALL_YOUNG_GENERATION],
  "proxy-worker": [],
};

/**
 * glibc's allocator keeps what a burst of work freed (rendering a page of 1,000 sites, a round of
 * TLS handshakes) in per-thread arenas it never returns: measured with 1,000 sites, the dashboard
 * idled at 306-358 MB with 62 MB of live JavaScript. Fewer arenas, and free memory given back
 * sooner. (Mapping large blocks on their own as well cost new connections about 7%: libuv reads
 * into 64 KB blocks.) Settings the environment already has win.
 */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_TRIM_THRESHOLD_: "131072",
};

/**
 * A proxy worker's allocator: as lean, but blocks up to 4 MiB come from the arenas. Fixing the
 * trim threshold above also fixes glibc's mmap threshold at 128 KB, so every compressed answer's
 * encoder tables (0.3-0.7 MB) were mapped, zeroed by the kernel page by page, and unmapped again:
 * Brotli answers ran at half the rate they do with this.
 */
export const PROXY_WORKER_ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  ...ALLOCATOR_ENV,
  MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024),
};

/** How to run an entry point as a Node process: its file, and the flags Node needs for it. */
export function entryPoint(name: EntryPoint): { file: string; execArgv: string[] } {
  return compiled
    ? { file: path.join(appRoot, "dist", `${name}.js`), execArgv: NODE_FLAGS[name] }
    : { file: path.join(appRoot, entries[name]), execArgv: [...NODE_FLAGS[name], "--import", "tsx"] };
}
