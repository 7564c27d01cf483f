import { useTempDatabase } from "@/test-support/database";
import { eventually, startProxyProcess, type ProxyProcess } from "@/test-support/proxy-process";
import { createCertificate } from "@/lib/services/certificates";
import { createSite, getSite, updateSite } from "@/lib/services/sites";
import { defaultSecurityHeaders } from "@/lib/schemas/site-security";
import { BENCH_HOSTNAME, CACHED_HOSTNAME, type BenchCertificate } from "./certificate";
import { targetOn, waitUntilServing, type Target } from "./targets";

const START_TIMEOUT_MS = 30_000;

/** What a new site has on by default besides traffic counting (an environment switch of the proxy). */
const SITE_DEFAULTS = { blockExploits: true, securityHeaders: defaultSecurityHeaders };
const SITE_DEFAULTS_OFF = { blockExploits: false, securityHeaders: null };

export interface Product {
  siteId: string;
  /** Starts the proxy (primary and workers, as `npm start` runs them); TRAFFIC_COUNTING etc. in `env`. */
  start(env?: Record<string, string>): Promise<{ target: Target; proxy: ProxyProcess }>;
  stop(): Promise<void>;
  /** Switches exploit blocking and security headers on or off and waits until the proxy serves the change. */
  setSiteDefaults(on: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * The product on a fresh SQLite database with one site made through the services, as the
 * dashboard makes it: a new site's defaults, the bench certificate uploaded, one upstream.
 */
export async function prepareProduct(backendPort: number, certificate: BenchCertificate, workers: number): Promise<Product> {
  const { cleanup } = await useTempDatabase();
  const { certificate: stored } = await createCertificate({
    type: "upload",
    name: "bench",
    certificatePem: certificate.certificatePem,
    privateKeyPem: certificate.privateKeyPem,
  });
  const site = await createSite({
    name: "bench",
    hostnames: [BENCH_HOSTNAME],
    upstreams: [{ url: `http://127.0.0.1:${backendPort}` }],
    certificateId: stored.id,
  });
  // Every answer of the backend is kept for an hour: the cache scenario measures hits.
  await createSite({
    name: "bench cached",
    hostnames: [CACHED_HOSTNAME],
    upstreams: [{ url: `http://127.0.0.1:${backendPort}` }],
    cache: { enabled: true, defaultTtlSeconds: 3600 },
  });
  let proxy: ProxyProcess | null = null;
  const stop = async () => {
    await proxy?.stop();
    proxy = null;
  };
  return {
    siteId: site.id,
    async start(env = {}) {
      await stop();
      const started = await startProxyProcess({ workers, env });
      proxy = started;
      const target = targetOn("product", started.httpPort, started.httpsPort);
      await waitUntilServing(target.httpUrl, START_TIMEOUT_MS, () => (started.child.exitCode !== null ? `the proxy exited: ${started.log()}` : null));
      return { target, proxy: started };
    },
    stop,
    async setSiteDefaults(on) {
      await updateSite(site.id, on ? SITE_DEFAULTS : SITE_DEFAULTS_OFF);
      await eventually(
        () => getSite(site.id),
        (current) => current.status.applied,
        { log: () => proxy?.log() ?? "" },
      );
    },
    async close() {
      await stop();
      await cleanup();
    },
  };
}
