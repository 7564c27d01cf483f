import http from "node:http";
import https from "node:https";

export interface UpstreamAgentOptions {
  /**
   * How long an idle upstream connection is kept. Also what lets Node honour an upstream's
   * "Keep-Alive: timeout=N" hint (Node ignores the hint when the agent has no timeout), which
   * avoids reusing a socket the upstream is about to close.
   */
  idleTimeoutMs?: number;
  maxFreeSockets?: number;
}

/**
 * Keep-alive connection pools to upstreams, shared by every config generation so that a reload
 * does not throw away warm connections. Without them every proxied request would open a new TCP
 * (and TLS) connection: roughly 500 requests/s instead of thousands.
 */
export class UpstreamAgents {
  readonly http: http.Agent;
  /** For upstreams whose certificate must verify. */
  readonly httpsVerified: https.Agent;
  /** For upstreams with self-signed or internal certificates (verifyUpstreamTls: false). */
  readonly httpsUnverified: https.Agent;

  constructor(options: UpstreamAgentOptions = {}) {
    const common = {
      keepAlive: true,
      keepAliveMsecs: 1000,
      maxFreeSockets: options.maxFreeSockets ?? 256,
      timeout: options.idleTimeoutMs ?? 30_000,
      // LIFO reuses the warmest sockets and lets the rest time out after a burst.
      scheduling: "lifo" as const,
    };
    this.http = new http.Agent(common);
    this.httpsVerified = new https.Agent({ ...common, rejectUnauthorized: true });
    this.httpsUnverified = new https.Agent({ ...common, rejectUnauthorized: false });
  }

  forUpstream(url: URL, verifyTls: boolean): http.Agent {
    if (url.protocol === "https:") return verifyTls ? this.httpsVerified : this.httpsUnverified;
    return this.http;
  }

  destroy(): void {
    this.http.destroy();
    this.httpsVerified.destroy();
    this.httpsUnverified.destroy();
  }
}
