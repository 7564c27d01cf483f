import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askProxyGet } from "@/lib/config/control-client";
import { CONTROL_SECRET_FILE } from "@/lib/config/control-secret";
import { dataDir } from "@/lib/env/paths";
import { PROXY_TRAFFIC_TOTALS_PATH } from "@/lib/metrics/proxy-traffic-totals";
import { useTempDatabase } from "@/test-support/database";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";

/** The real proxy process's control port: nothing without the secret the dashboard shares with it. */
let cleanup: () => Promise<void>;
let proxy: ProxyProcess;

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  proxy = await startProxyProcess({ workers: 1 });
  await eventually(
    () => askProxyGet<{ ok: boolean }>("/health"),
    (answer) => answer.ok,
    { log: proxy.log },
  );
});
afterAll(async () => {
  await proxy?.stop();
  await cleanup?.();
});

function send(method: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: proxy.controlPort, method, path: target, headers }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end(method === "POST" ? JSON.stringify({ hostnames: ["example.com"] }) : undefined);
  });
}

const ROUTES: [string, string][] = [
  ["GET", "/access-log?siteId=any"],
  ["GET", "/health"],
  ["POST", "/reload"],
  ["POST", "/acme/preflight"],
  ["GET", PROXY_TRAFFIC_TOTALS_PATH],
  ["GET", "/no-such-route"],
];

describe("the control port of the real proxy", () => {
  it("answers 401 on every route without the secret, or with a wrong one", async () => {
    for (const [method, target] of ROUTES) {
      const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: "" }];
      for (const headers of attempts) {
        const answer = await send(method, target, headers);
        expect({ method, target, headers, status: answer.status }).toEqual({ method, target, headers, status: 401 });
        expect(answer.body).not.toContain("entries");
      }
    }
  });

  it("serves the dashboard's client, which sends the secret from the data directory", async () => {
    expect(await askProxyGet("/health")).toEqual({ ok: true });
    expect(await askProxyGet("/access-log?siteId=any")).toMatchObject({ entries: [] });
    const file = path.join(dataDir(), CONTROL_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("the control secret file", () => {
  it("is the same for processes that need it at the same moment", async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), "gk-secret-"));
    const dir = path.join(parent, "data");
    try {
      const printed = await Promise.all(Array.from({ length: 6 }, () => printSecret(dir)));
      expect(printed[0]).toMatch(/^[\w-]{40,}$/);
      expect(new Set(printed).size).toBe(1);
      expect(statSync(path.join(dir, CONTROL_SECRET_FILE)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

function printSecret(dir: string): Promise<string> {
  const script = path.resolve(import.meta.dirname, "..", "..", "test-support", "print-control-secret.ts");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { env: { ...process.env, DATA_DIR: dir } });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}
