import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import type tls from "node:tls";
import { pino, type Logger } from "pino";
import type { FallbackCertificate } from "../ipc";
import { AcmeChallengeResponder } from "./acme-challenge-responder";
import { compileSnapshot } from "../runtime/compile-snapshot";
import { BasicAuthVerifier } from "../security/basic-auth";
import { createExploitDetector } from "../security/exploit-detector";
import type { ProxyRuntime } from "../runtime/runtime-types";
import type { TlsPolicy } from "../../lib/schemas/site-security";
import { parseHostHeader } from "../routing/parse-host-header";
import { createTlsDispatcher } from "../tls/tls-dispatcher";
import { tlsPolicyOptions } from "../tls/tls-policy";
import { SniContextStore } from "../tls/sni-context-store";
import { UpstreamAgents } from "../upstream/agents";
import { UpstreamPool, type PassiveHealthOptions } from "../upstream/upstream-pool";
import { createClientErrorHandler } from "./client-error-handler";
import { ConnectionTracker } from "./connection-tracker";
import { ListenError } from "./listen-error";
import type { HandlerContext } from "./handler-context";
import { createRequestHandler } from "./request-handler";
import { resolveTimeouts, serverTimeoutOptions, type DataPlaneTimeouts } from "./server-timeouts";
import { createUpgradeHandler } from "./upgrade-handler";
import { UpstreamForwarder } from "./upstream-forwarder";
import type { TrafficDelta } from "../../lib/traffic/traffic-delta";
import { TrafficCounter, type Clock } from "../traffic/traffic-counter";
import { trafficCountingEnabled } from "../traffic/traffic-env";
import type { AccessLogEntry } from "../../lib/traffic/access-log-entry";
import { AccessLogBuffer } from "../access-log/access-log-buffer";
import { accessLogRingSize } from "../access-log/access-log-env";

export interface DataPlaneOptions {
  /** 0 picks a free port; listen() tells which. */
  httpPort: number;
  httpsPort: number;
  /** Interface to bind; all interfaces when absent. */
  host?: string;
  /**
   * Served to TLS clients whose server name matches nothing (and to clients sending no SNI).
   * Optional because a worker only learns it with its first snapshot; until then such
   * handshakes fail, which is harmless while no site is configured.
   */
  fallbackCertificate?: FallbackCertificate;
  logger?: Logger;
  timeouts?: Partial<DataPlaneTimeouts>;
  /**
   * Passive health checks: after `failureThreshold` failures in a row (connection refused, reset
   * or timed out, or a 5xx answer) an upstream address gets no new requests for `coolDownMs`.
   * Defaults: 3 failures, 30 s.
   */
  passiveHealth?: Partial<PassiveHealthOptions>;
  /**
   * Called when passive checks bench an address (the upstream URL as configured), with the
   * reason in plain words; the worker forwards it to the primary as "upstream-failing". Called
   * again only if the address fails again after its cool-down.
   */
  onUpstreamFailing?: (address: string, reason: string) => void;
  /**
   * Traffic counting per site and minute, handed over with drainTraffic(). Default: on, unless
   * the environment says TRAFFIC_COUNTING=off. `clock` (epoch ms) picks the minute; for tests.
   */
  traffic?: { enabled: boolean; clock?: Clock };
  /**
   * The access log: every finished request, handed over with drainAccessLog(). It rides on the
   * traffic counter, so it is off whenever counting is. `perSiteLimit`: entries kept per site
   * between drains (default ACCESS_LOG_RING_SIZE); `clock` (epoch ms) stamps them; for tests.
   */
  accessLog?: { enabled?: boolean; perSiteLimit?: number; clock?: Clock };
}

export type ApplyResult =
  | { ok: true; revision: number; siteErrors: Record<string, string> }
  | { ok: false; error: string };

export interface ListeningPorts {
  httpPort: number;
  httpsPort: number;
}

export interface CloseOptions {
  /** Let in-flight requests and websockets finish for up to this long before cutting them. Default 0. */
  drainMs?: number;
}

export interface DataPlane {
  /**
   * Compiles a snapshot off to the side and, if it is valid as a whole, swaps it in. Requests
   * already in flight finish on the generation they started with. A new fallback certificate,
   * when given, replaces the current one.
   */
  apply(snapshot: unknown, fallbackCertificate?: FallbackCertificate): ApplyResult;
  /** Replaces the HTTP-01 answers (token -> key authorization) served on the HTTP port. */
  setAcmeChallenges(challenges: Record<string, string>): void;
  /**
   * The active health checks' verdict per upstream address (the upstream URL exactly as in the
   * snapshot), the whole map each time: it replaces the previous one. Addresses marked "down" get
   * no requests; addresses not listed count as up. Kept across apply() calls.
   */
  setUpstreamHealth(states: Record<string, "up" | "down">): void;
  /** Session-ticket keys (48 bytes) shared by all workers, so resumption works across them. */
  setTicketKeys(keys: Buffer): void;
  listen(): Promise<ListeningPorts>;
  /**
   * Serves a connection accepted elsewhere: in the proxy the primary accepts every connection and
   * hands it to a worker, which then does not listen itself.
   */
  acceptConnection(scheme: "http" | "https", socket: net.Socket): void;
  /** The traffic counted since the last call, per site and minute; empty when counting is off. */
  drainTraffic(): TrafficDelta[];
  /** The requests finished since the last call, oldest first; empty when the access log is off. */
  drainAccessLog(): AccessLogEntry[];
  /** Stops accepting, drains for up to drainMs, then closes everything. Safe to call twice. */
  close(options?: CloseOptions): Promise<void>;
}

function listenOn(server: net.Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(new ListenError(port, error.code ?? "UNKNOWN", error));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const logger = options.logger ?? pino({ level: "silent" });
  const timeouts = resolveTimeouts(options.timeouts);
  const contexts = new SniContextStore();
  const verifier = new BasicAuthVerifier();
  const exploits = createExploitDetector();
  const agents = new UpstreamAgents();
  const acmeChallenges = new AcmeChallengeResponder();
  const trafficEnabled = options.traffic?.enabled ?? trafficCountingEnabled();
  const accessLog =
    trafficEnabled && (options.accessLog?.enabled ?? true)
      ? new AccessLogBuffer({ perSiteLimit: options.accessLog?.perSiteLimit ?? accessLogRingSize(), clock: options.accessLog?.clock })
      : null;
  const traffic = trafficEnabled ? new TrafficCounter({ clock: options.traffic?.clock, onFinished: accessLog?.observe }) : null;
  const pool = new UpstreamPool({
    passive: options.passiveHealth,
    onBenched: (address, reason) => {
      logger.warn({ upstream: address, reason }, "upstream benched by passive health checks");
      try {
        options.onUpstreamFailing?.(address, reason);
      } catch (error) {
        logger.error({ err: error }, "the upstream-failing callback threw");
      }
    },
  });

  let runtime: ProxyRuntime | null = null;
  let fallbackContext: tls.SecureContext | undefined;
  let boundHttpsPort = options.httpsPort;
  let closing: Promise<void> | null = null;

  const initialFallback = options.fallbackCertificate;
  if (initialFallback !== undefined) {
    const built = contexts.prepareFallback(initialFallback);
    if (!built.ok) throw new Error(`The fallback certificate cannot be used: ${built.error}`);
    fallbackContext = built.context;
  }

  const timeoutOptions = serverTimeoutOptions(timeouts);
  const httpServer = http.createServer({ ...timeoutOptions });
  // One TLS server per policy; each connection goes to the one its site asks for, chosen from
  // the ClientHello (OpenSSL fixes the protocol version before an SNI callback could switch it).
  const tlsServer = (policy: TlsPolicy) =>
    https.createServer({
      ...timeoutOptions,
      ...tlsPolicyOptions(policy),
      ...(initialFallback ? { cert: initialFallback.certificatePem, key: initialFallback.privateKeyPem } : {}),
      // Picks a prebuilt context: nothing is parsed or built during a handshake.
      SNICallback: (servername, callback) => {
        try {
          callback(null, runtime?.sni.contextFor(servername) ?? fallbackContext);
        } catch (error) {
          callback(error instanceof Error ? error : new Error(String(error)));
        }
      },
    });
  const httpsServer = tlsServer("intermediate");
  const modernServer = tlsServer("modern");
  const tlsFront = net.createServer(
    createTlsDispatcher({
      pick: (serverName) => {
        const name = serverName === null ? null : parseHostHeader(serverName);
        const site = name === null ? null : runtime?.router.matchHostname(name);
        return site?.tlsPolicy === "modern" ? modernServer : httpsServer;
      },
      helloTimeoutMs: timeouts.headersTimeoutMs,
    }),
  );

  const tracker = new ConnectionTracker([httpServer, httpsServer, modernServer], [tlsFront]);
  const forwarder = new UpstreamForwarder({
    agents,
    proxyTimeoutMs: timeouts.proxyTimeoutMs,
    logger,
    isDraining: () => tracker.isDraining,
    pool,
  });

  for (const [server, scheme] of [
    [httpServer, "http"],
    [httpsServer, "https"],
    [modernServer, "https"],
  ] as const) {
    const context: HandlerContext = {
      scheme,
      currentRuntime: () => runtime,
      forwarder,
      tracker,
      httpsPort: () => boundHttpsPort,
      acmeChallenges,
      logger,
      traffic,
      exploits,
    };
    const handleRequest = createRequestHandler(context);
    server.on("request", handleRequest);
    server.on("upgrade", createUpgradeHandler(context, handleRequest));
    server.on("clientError", createClientErrorHandler(logger));
    server.on("error", (error) => logger.error({ err: error, scheme }, "server error"));
  }
  for (const server of [httpsServer, modernServer]) {
    server.on("tlsClientError", (error) => logger.debug({ err: error.message }, "TLS handshake failed"));
  }
  tlsFront.on("error", (error) => logger.error({ err: error, scheme: "https" }, "server error"));

  function updateFallback(certificate: FallbackCertificate): void {
    const built = contexts.prepareFallback(certificate);
    if (!built.ok) {
      logger.error({ error: built.error }, "the new fallback certificate cannot be used; keeping the previous one");
      return;
    }
    if (built.context === fallbackContext) return;
    fallbackContext = built.context;
    // The servers' default context answers clients that send no SNI at all.
    httpsServer.setSecureContext({ cert: certificate.certificatePem, key: certificate.privateKeyPem, ...tlsPolicyOptions("intermediate") });
    modernServer.setSecureContext({ cert: certificate.certificatePem, key: certificate.privateKeyPem, ...tlsPolicyOptions("modern") });
  }

  return {
    apply(snapshot, fallbackCertificate) {
      const started = performance.now();
      if (fallbackCertificate !== undefined) updateFallback(fallbackCertificate);
      const result = compileSnapshot(snapshot, { contexts, previous: runtime, fallbackContext, verifier });
      if (!result.ok) {
        logger.warn({ error: result.error }, "snapshot rejected; the previous configuration keeps serving");
        return { ok: false, error: result.error };
      }
      runtime = result.runtime;
      pool.retainOnly(new Set([...result.runtime.sites.values()].flatMap((site) => site.upstreams.map((u) => u.address))));
      const failed = Object.keys(result.siteErrors).length;
      logger.info(
        { revision: result.runtime.revision, sites: result.runtime.sites.size, failedSites: failed, ms: Math.round(performance.now() - started) },
        "configuration applied",
      );
      if (failed > 0) logger.warn({ siteErrors: result.siteErrors }, "some sites could not be updated");
      return { ok: true, revision: result.runtime.revision, siteErrors: result.siteErrors };
    },

    setAcmeChallenges(challenges) {
      acmeChallenges.replace(challenges);
      logger.debug({ tokens: acmeChallenges.size }, "ACME challenges updated");
    },

    setUpstreamHealth(states) {
      pool.setActiveHealth(states);
      const down = Object.values(states).filter((state) => state === "down").length;
      logger.debug({ addresses: Object.keys(states).length, down }, "upstream health updated");
    },

    setTicketKeys(keys) {
      for (const server of [httpsServer, modernServer]) server.setTicketKeys(keys);
    },

    drainTraffic() {
      return traffic?.drain() ?? [];
    },

    drainAccessLog() {
      return accessLog?.drain() ?? [];
    },

    acceptConnection(scheme, socket) {
      (scheme === "http" ? httpServer : tlsFront).emit("connection", socket);
      socket.resume();
    },

    async listen() {
      const httpPort = await listenOn(httpServer, options.httpPort, options.host);
      try {
        boundHttpsPort = await listenOn(tlsFront, options.httpsPort, options.host);
      } catch (error) {
        await closeServer(httpServer);
        throw error;
      }
      logger.info({ httpPort, httpsPort: boundHttpsPort, host: options.host ?? "*" }, "data plane listening");
      return { httpPort, httpsPort: boundHttpsPort };
    },

    close(closeOptions = {}) {
      closing ??= (async () => {
        const closed = Promise.all([closeServer(httpServer), closeServer(tlsFront)]);
        const idle = tracker.startDraining();
        const drainMs = closeOptions.drainMs ?? 0;
        if (drainMs > 0 && tracker.activeCount > 0) {
          logger.info({ active: tracker.activeCount, drainMs }, "draining in-flight requests");
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
          clearTimeout(timer);
        }
        tracker.destroyAll();
        await closed;
        agents.destroy();
      })();
      return closing;
    },
  };
}
