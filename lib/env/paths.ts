import path from "node:path";

/** Where the database, the at-rest encryption key and other state live (DATA_DIR, default ./data). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  // Decided at run time: not a path for the dashboard build to trace.
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR ?? "data");
}

export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), "gatekeeper.db");
}

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return "file:" + databasePath(env);
}

/** Where the proxy keeps cached answers, one directory per site. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), "cache");
}
