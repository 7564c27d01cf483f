import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadResult } from "./load-result";
import { parseH2load, parseWrk } from "./parse-output";

/** What every load run shares: one client thread, this many connections, this long. */
export interface LoadShape {
  connections: number;
  seconds: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function commandExists(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).error === undefined;
}

/** `wrk -t1 -c64 -d8s --latency`; with `close`, every request on a new connection; `headers` as "Name: value". */
export async function runWrk(url: string, shape: LoadShape, options: { close?: boolean; headers?: string[] } = {}): Promise<LoadResult> {
  const headers = [...(options.close ? ["Connection: close"] : []), ...(options.headers ?? [])].flatMap((header) => ["-H", header]);
  const args = ["-t1", `-c${shape.connections}`, `-d${shape.seconds}s`, "--latency", ...headers, url];
  return parseWrk(await output("wrk", args));
}

/** `h2load -t1 -c64 -m1`: as many requests in flight as wrk keeps, one stream per connection. */
export async function runH2load(url: string, shape: LoadShape): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gk-bench-h2load-"));
  try {
    const log = path.join(dir, "requests.tsv");
    const args = ["-t1", `-c${shape.connections}`, "-m1", `-D${shape.seconds}`, `--log-file=${log}`, url];
    const summary = await output("h2load", args);
    return parseH2load(summary, readFileSync(log, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Websocket echo round trips over `connections` sockets, from a child process (ws-load.ts). */
export async function runWebsocketLoad(url: string, shape: LoadShape): Promise<LoadResult> {
  const script = path.join(here, "ws-load.ts");
  const json = await output(process.execPath, ["--import", "tsx", script, url, String(shape.connections), String(shape.seconds)]);
  return JSON.parse(json) as LoadResult;
}

/** Runs a command asynchronously (the backend lives in this process and must keep answering) and returns its stdout. */
function output(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr || stdout}`));
    });
  });
}
