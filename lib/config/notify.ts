import http from "node:http";
import { readSettings } from "../env/settings";
import { controlAuthorization } from "./control-secret";

/**
 * Tells the proxy primary, over its loopback control port, that the config changed. This is only
 * the fast path: the primary also polls the revision, so a lost notification costs at most a poll.
 */
export function notifyProxy(): void {
  const { PROXY_CONTROL_PORT } = readSettings();
  let headers: { authorization: string };
  try {
    headers = controlAuthorization();
  } catch {
    return; // an unreadable secret file: the poll still delivers the change
  }
  const request = http.request({
    host: "127.0.0.1",
    port: PROXY_CONTROL_PORT,
    method: "POST",
    path: "/reload",
    headers,
    timeout: 1000,
  });
  request.on("response", (response) => response.resume());
  request.on("timeout", () => request.destroy());
  request.on("error", () => undefined);
  request.end();
}
