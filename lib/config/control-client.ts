import http from "node:http";
import { readSettings } from "../env/settings";
import { AppError } from "../errors";

/**
 * Asks the proxy primary something over its loopback control port and returns its JSON answer.
 * Unlike the fire-and-forget reload notice, the caller needs the answer, so failures are errors.
 */
export function askProxy<T>(path: string, body: unknown, timeoutMs = 30_000): Promise<T> {
  const { PROXY_CONTROL_PORT } = readSettings();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: PROXY_CONTROL_PORT,
        method: "POST",
        path,
        timeout: timeoutMs,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => {
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
    request.on("error", () =>
      reject(new AppError("internal", "The proxy is not running or not reachable on its control port; start it and try again")),
    );
    request.end(payload);
  });
}
