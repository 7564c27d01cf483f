import os from "node:os";

/** The environment `npm run bench` reads, checked once. */
export interface BenchOptions {
  /** Length of each measured run (`wrk -d`), BENCH_SECONDS. */
  seconds: number;
  /** Connections of each run (`wrk -c`), BENCH_CONNECTIONS. */
  connections: number;
  /** Length of the memory soak at the end, BENCH_SOAK_SECONDS; 0 skips it. */
  soakSeconds: number;
  /** The product's workers, PROXY_WORKERS; the peers get as many workers or threads. */
  workers: number;
}

const DEFAULT_SECONDS = 8; // as in issue 11's reference measurements: wrk -t1 -c64 -d8s
const DEFAULT_CONNECTIONS = 64;
const DEFAULT_SOAK_SECONDS = 600;

export function benchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  return {
    seconds: number(env, "BENCH_SECONDS", DEFAULT_SECONDS, 1),
    connections: number(env, "BENCH_CONNECTIONS", DEFAULT_CONNECTIONS, 1),
    soakSeconds: number(env, "BENCH_SOAK_SECONDS", DEFAULT_SOAK_SECONDS, 0),
    workers: number(env, "PROXY_WORKERS", os.availableParallelism(), 1),
  };
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number, at least ${min} (got "${raw}")`);
  return value;
}
