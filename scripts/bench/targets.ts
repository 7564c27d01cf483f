import http from "node:http";
import { BENCH_HOSTNAME } from "./certificate";

/** Something the load goes through: the backend itself, the product or a peer. */
export interface Target {
  name: string;
  httpUrl: string;
  /** null: no TLS port (the backend speaks plain HTTP). */
  httpsUrl: string | null;
  websocketUrl: string;
}

export function targetOn(name: string, httpPort: number, httpsPort: number | null): Target {
  return {
    name,
    httpUrl: `http://${BENCH_HOSTNAME}:${httpPort}/`,
    httpsUrl: httpsPort === null ? null : `https://${BENCH_HOSTNAME}:${httpsPort}/`,
    websocketUrl: `ws://${BENCH_HOSTNAME}:${httpPort}/`,
  };
}

const READY_POLL_MS = 100;

/** Resolves once the URL answers 200; rejects after the timeout or as soon as `failed` says why. */
export async function waitUntilServing(url: string, timeoutMs: number, failed: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const problem = failed();
    if (problem !== null) throw new Error(problem);
    if ((await statusOf(url)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

function statusOf(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? null);
      })
      .on("error", () => resolve(null));
  });
}
