import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { readSettings } from "../lib/env/settings";
import { IpRanges } from "../lib/net/ip-ranges";
import { rewriteForwardedHeaders } from "../lib/net/dashboard-forwarded";
import { guardServerAction } from "../lib/net/server-action-body";
import { readTrustedProxies } from "../lib/services/settings";
import { appRoot } from "../lib/env/entry-points";

/**
 * Serves the built dashboard (what `next start` does) behind one extra step: X-Forwarded-For and
 * X-Forwarded-Proto are rewritten from the connection itself, believed only from trusted proxies
 * (Settings) and loopback (the product's own proxy in front of its dashboard). Next has no socket
 * address of its own to offer, so without this a client could pick the address that sign-in
 * throttling counts against. And a server action whose body cannot be read is refused here with
 * 400 (Next would answer 500).
 */
const TRUSTED_REFRESH_MS = 5_000;
const LOOPBACK = ["127.0.0.0/8", "::1"];

// What `next start` sets: production behaviour (and the production CSP of next.config.ts). And the
// configuration the build resolved, as Next's standalone server passes it: otherwise Next loads
// next.config.ts again, and with it a TypeScript compiler that would stay in memory.
const builtConfig = JSON.parse(readFileSync(path.join(appRoot, ".next", "required-server-files.json"), "utf8")).config;
Object.assign(process.env, { NODE_ENV: "production", __NEXT_PRIVATE_STANDALONE_CONFIG: JSON.stringify(builtConfig) });
const { default: next } = await import("next");
const settings = readSettings();
const app = next({ dev: false, dir: appRoot, conf: builtConfig, hostname: settings.DASHBOARD_HOST, port: settings.DASHBOARD_PORT });
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
