import http from "node:http";
import { readSettings } from "../env/settings";
import { AppError } from "../errors";
import { controlAuthorization } from "./control-secret";

/**
 * The proxy did not answer on its control port at all (not running, or still starting). A page
 * can tell this apart from other failures and say so plainly; the API answers it like any
 * internal error.
 */
export class ProxyUnreachableError extends AppError {
  constructor() {
    super("internal", "The proxy is not running or not reachable on its control port; start it and try again");
    this.name = "ProxyUnreachableError";
  }
}

/**
 * Asks the proxy primary something over its loopback control port and returns its JSON answer.
 * Unlike the fire-and-forget reload notice, the caller needs the answer, so failures are errors.
 */
export function askProxy<T>(path: string, body: unknown, timeoutMs = 30_000): Promise<T> {
  return requestProxy<T>("POST", path, JSON.stringify(body), timeoutMs);
}

/** Reads something from the proxy primary (GET on its control port); `path` includes the query. */
export function askProxyGet<T>(path: string, timeoutMs = 5_000): Promise<T> {
  return requestProxy<T>("GET", path, undefined, timeoutMs);
}

function requestProxy<T>(method: "GET" | "POST", path: string, payload: string | undefined, timeoutMs: number): Promise<T> {
  const { PROXY_CONTROL_PORT } = readSettings();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: PROXY_CONTROL_PORT,
        method,
        path,
        timeout: timeoutMs,
        headers: {
          ...controlAuthorization(),
          ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        // Decoded once at the end: a character split across chunks stays whole.
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode === 401) {
            reject(new AppError("internal", "The proxy refused the dashboard's control secret: start both with the same DATA_DIR"));
            return;
          }
          if (response.statusCode !== 200) {
            reject(new AppError("internal", `The proxy could not answer (${response.statusCode}): ${text}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch {
            reject(new AppError("internal", "The proxy sent an unreadable answer"));
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", () => reject(new ProxyUnreachableError()));
    request.end(payload);
  });
}
