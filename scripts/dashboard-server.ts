import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readSettings } from "../lib/env/settings";
import { IpRanges } from "../lib/net/ip-ranges";
import { rewriteForwardedHeaders } from "../lib/net/dashboard-forwarded";
import { guardServerAction } from "../lib/net/server-action-body";
import { readTrustedProxies } from "../lib/services/settings";

/**
 * Serves the built dashboard (what `next start` does) behind one extra step: X-Forwarded-For and
 * X-Forwarded-Proto are rewritten from the connection itself, believed only from trusted proxies
 * (Settings) and loopback (the product's own proxy in front of its dashboard). Next has no socket
 * address of its own to offer, so without this a client could pick the address that sign-in
 * throttling counts against. And a server action whose body cannot be read is refused here with
 * 400 (Next would answer 500).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TRUSTED_REFRESH_MS = 5_000;
const LOOPBACK = ["127.0.0.0/8", "::1"];

// What `next start` sets: production behaviour (and the production CSP of next.config.ts).
Object.assign(process.env, { NODE_ENV: "production" });
const { default: next } = await import("next");
const settings = readSettings();
const app = next({ dev: false, dir: root, hostname: settings.DASHBOARD_HOST, port: settings.DASHBOARD_PORT });
const handle = app.getRequestHandler();
await app.prepare();

let trusted = new IpRanges(LOOPBACK);
async function refreshTrusted(): Promise<void> {
  try {
    trusted = new IpRanges([...LOOPBACK, ...(await readTrustedProxies())]);
  } catch {
    // The database is briefly unavailable: keep the list we have.
  }
}
await refreshTrusted();
setInterval(() => void refreshTrusted(), TRUSTED_REFRESH_MS).unref();

const server = http.createServer((req, res) => {
  rewriteForwardedHeaders(req, trusted);
  guardServerAction(req).then(
    (guarded) => {
      if ("request" in guarded) return handle(guarded.request, res);
      const { status, message } = guarded.refused;
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(message);
    },
    () => res.destroy(), // the client went away mid-body
  );
});
server.listen(settings.DASHBOARD_PORT, settings.DASHBOARD_HOST, () => {
  console.log(`dashboard listening on ${settings.DASHBOARD_HOST}:${settings.DASHBOARD_PORT}`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    server.closeIdleConnections();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
