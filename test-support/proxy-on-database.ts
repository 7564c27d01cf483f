import { createSite, getSite } from "../lib/services/sites";
import type { Site } from "../lib/schemas/site";
import { useTempDatabase } from "./database";
import { eventually, startProxyProcess, type ProxyProcess, type ProxyProcessOptions } from "./proxy-process";

export interface ProxyOnDatabase {
  proxy: ProxyProcess;
  /** Saves a site through the services, as the dashboard does, and waits until the proxy serves it. */
  addSite(input: unknown): Promise<Site>;
  /** Stops the proxy and removes the database. */
  close(): Promise<void>;
}

/** The real proxy process (primary and workers) on a fresh SQLite database: the path users run. */
export async function startProxyOnDatabase(options: ProxyProcessOptions = {}): Promise<ProxyOnDatabase> {
  const { cleanup } = await useTempDatabase();
  const proxy = await startProxyProcess(options);
  return {
    proxy,
    async addSite(input) {
      const site = await createSite(input);
      return eventually(
        () => getSite(site.id),
        (current) => current.status.applied,
        { log: proxy.log },
      );
    },
    async close() {
      await proxy.stop();
      await cleanup();
    },
  };
}
