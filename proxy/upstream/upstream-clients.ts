import { Pool } from "undici";
import type { RuntimeUpstream } from "../runtime/runtime-types";

/**
 * How long an idle upstream connection is kept, at most. undici also honours an upstream's
 * "Keep-Alive: timeout=N" hint below this, which avoids reusing a socket the upstream is about to
 * close.
 */
const IDLE_CONNECTION_MS = 30_000;

/**
 * Keep-alive connection pools to upstreams (undici), one per origin and TLS settings, shared by
 * every config generation so that a reload keeps warm connections. Without them every proxied
 * request would open a new TCP (and TLS) connection.
 */
export class UpstreamClients {
  private readonly pools = new Map<string, Pool>();

  for(upstream: RuntimeUpstream, verifyTls: boolean): Pool {
    const key = poolKey(upstream, verifyTls);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      const https = upstream.url.protocol === "https:";
      pool = new Pool(upstream.url.origin, {
        keepAliveTimeout: IDLE_CONNECTION_MS,
        keepAliveMaxTimeout: IDLE_CONNECTION_MS,
        // The server name is the upstream's own, so SNI and verification never follow the
        // client's Host header (preserveHost); SNI is not sent for an IP address.
        connect: https ? { rejectUnauthorized: verifyTls, servername: upstream.tlsServername || undefined } : undefined,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes the pools no site uses any more, once their requests are done. */
  retainOnly(inUse: ReadonlyArray<{ upstream: RuntimeUpstream; verifyTls: boolean }>): void {
    const keys = new Set(inUse.map(({ upstream, verifyTls }) => poolKey(upstream, verifyTls)));
    for (const [key, pool] of this.pools) {
      if (keys.has(key)) continue;
      this.pools.delete(key);
      void pool.close().catch(() => undefined);
    }
  }

  async destroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }
}

function poolKey(upstream: RuntimeUpstream, verifyTls: boolean): string {
  return `${upstream.url.origin} ${verifyTls ? "verify" : "trust"} ${upstream.tlsServername}`;
}
