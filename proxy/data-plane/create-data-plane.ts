import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type net from "node:net";
import type { AddressInfo } from "node:net";
import type tls from "node:tls";
import { pino, type Logger } from "pino";
import type { FallbackCertificate } from "../ipc";
import { AcmeChallengeResponder } from "./acme-challenge-responder";
import { compileChanges, compileSnapshot, type CompileSnapshotResult } from "../runtime/compile-snapshot";
import { BasicAuthVerifier } from "../security/basic-auth";
import type { LimiterFactory } from "../security/site-protection";
import { createExploitDetector } from "../security/exploit-detector";
import type { ProxyRuntime } from "../runtime/runtime-types";
import { upstreamsOf } from "../runtime/site-upstreams";
import { parseHostHeader } from "../routing/parse-host-header";
import { CertificateCheck, type CertificateCheckResult } from "../tls/certificate-check";
import { CertificateStore, contextOrFallback, type MaterialSource } from "../tls/certificate-store";
import { TlsFront } from "../tls/tls-front";
import { UpstreamClients } from "../upstream/upstream-clients";
import { UpstreamPool, type PassiveHealthOptions } from "../upstream/upstream-pool";
import { createClientErrorHandler } from "./client-error-handler";
import { ConnectionTracker } from "./connection-tracker";
import { ListenError } from "./listen-error";
import { resolveTimeouts, serverTimeoutOptions, type DataPlaneTimeouts } from "./server-timeouts";
import { AnswerCache, type AnswerCacheOptions } from "../cache/answer-cache";
import { soleCoordinator } from "../cache/cache-coordinator";
import { CachingForwarder } from "../cache/caching-forwarder";
import type { CachePurgeScope } from "@/lib/schemas/cache-purge";
import { HttpForwarder } from "../forwarding/http-forwarder";
import { UpgradeForwarder } from "../forwarding/upgrade-forwarder";
import type { PipelineEnv } from "../pipeline/pipeline-env";
import type { RequestContext } from "../pipeline/request-context";
import { serveRequest, serveStream, serveUpgrade } from "../pipeline/run-pipeline";
import { createUpgradeListener } from "./upgrade-listener";
import type { TrafficDelta } from "@/lib/traffic/traffic-delta";
import { TrafficCounter, type Clock } from "../traffic/traffic-counter";
import { trafficCountingEnabled } from "../traffic/traffic-env";
import type { AccessLogEntry } from "@/lib/traffic/access-log-entry";
import { AccessLogBuffer } from "../access-log/access-log-buffer";
import { accessLogRingSize } from "../access-log/access-log-env";
import type { ExplainRequest, Explanation } from "@/lib/schemas/explain";
import { explainRequest } from "../explain/explain-request";
import type { OwnPorts } from "@/lib/net/upstream-target";
import { TcpRelay, type EndedConnection } from "../streams/tcp-relay";
import { StreamListeners } from "../streams/stream-listeners";
import type { RuntimeStream } from "../runtime/runtime-types";
import { passThroughTo } from "./pass-through";

/** An upstream that has not accepted a relayed connection by then is given up for the next one (undici's default for HTTP upstreams). */
const UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;

export interface DataPlaneOptions {
  /** 0 picks a free port; listen() tells which. */
  httpPort: number;
  httpsPort: number;
  /** Interface to bind; all interfaces when absent. */
  host?: string;
  /**
   * The product's own ports, which no stream may take. Default: the HTTP and HTTPS ports given
   * here (the worker adds the dashboard's and the control port).
   */
  ownPorts?: OwnPorts;
  /**
   * Served to TLS clients whose server name matches nothing (and to clients sending no SNI).
   * Optional because a worker only learns it with its first snapshot; until then such
   * handshakes fail, which is harmless while no site is configured.
   */
  fallbackCertificate?: FallbackCertificate;
  /** Where a certificate's PEM text and key come from when a handshake first needs them (the primary). */
  certificateMaterial: MaterialSource;
  logger?: Logger;
  timeouts?: Partial<DataPlaneTimeouts>;
  /**
   * Passive health checks: after `failureThreshold` failures in a row (connection refused, reset
   * or timed out; a 5xx answer where the site opts in) an upstream gets no new requests for
   * `coolDownMs`, unless it is the site's last usable one (see UpstreamPool). Defaults: 3 failures, 30 s.
   */
  passiveHealth?: Partial<PassiveHealthOptions>;
  /**
   * Called when passive checks bench an upstream (by id), with the reason in plain words; the
   * worker forwards it to the primary as "upstream-failing". Called again only if the upstream
   * fails again after its cool-down.
   */
  onUpstreamFailing?: (upstreamId: string, reason: string) => void;
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
  /** Where sites' per-address limits are counted; default: in this process alone. */
  limits?: LimiterFactory;
  /**
   * Sites' caches: the directory shared by all workers (null: memory only), this worker's part of
   * each site's memory budget, and who decides which worker fetches a missing answer. Default:
   * memory only, the whole budget, every fetch this worker's own.
   */
  cache?: Omit<AnswerCacheOptions, "logger">;
}

export type ApplyResult = { ok: true; revision: number; siteErrors: Record<string, string> } | { ok: false; error: string };

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
  /**
   * The same for the changes since the snapshot served (SnapshotChanges): only what they touch is
   * checked and compiled. "stale" when they are not against the snapshot served.
   */
  applyChanges(changes: unknown): ApplyResult | "stale";
  /** Replaces the HTTP-01 answers (token -> key authorization) served on the HTTP port. */
  setAcmeChallenges(challenges: Record<string, string>): void;
  /**
   * The active health checks' verdict per upstream id (each site's upstream judged by that site's
   * own check), the whole map each time: it replaces the previous one. Upstreams marked "down" get
   * no requests; upstreams not listed count as up. Kept across apply() calls.
   */
  setUpstreamHealth(states: Record<string, "up" | "down">): void;
  /** Session-ticket keys (48 bytes) shared by all workers, so resumption works across them. */
  setTicketKeys(keys: Buffer): void;
  /**
   * Asks the HTTPS servers, by real handshakes, which certificate each site with one presents,
   * and answers the sites where it is not the site's own. Sites are checked again only when their
   * certificate, policy or names changed, or until they pass.
   */
  checkCertificates(): Promise<CertificateCheckResult>;
  listen(): Promise<ListeningPorts>;
  /**
   * Once the streams' ports of the latest apply are open or failed: every stream that is not
   * served as configured, by id, with the reason (its config, or its port) in plain words.
   */
  streamErrors(): Promise<Record<string, string>>;
  /** What this data plane would do with a request, as it serves now, without sending anything. */
  explain(request: ExplainRequest): Promise<Explanation>;
  /** Removes a site's answers from this worker's memory (the primary removes the files); how many it held. */
  purgeCache(siteId: string, scope: CachePurgeScope): number;
  /** The traffic counted since the last call, per site and minute; empty when counting is off. */
  drainTraffic(): TrafficDelta[];
  /** The requests finished since the last call, oldest first; empty when the access log is off. */
  drainAccessLog(): AccessLogEntry[];
  /** Stops accepting, drains for up to drainMs, then closes everything. Safe to call twice. */
  close(options?: CloseOptions): Promise<void>;
}

/** Every upstream a stream may relay to, TCP and UDP. */
function streamUpstreamIds(stream: RuntimeStream): string[] {
  return [...(stream.tcp?.upstreams ?? []), ...(stream.udp?.upstreams ?? [])].map((upstream) => upstream.id);
}

/** Counts a request as its site's traffic when it is done: status, latency, and its bytes on the wire. */
function countWhenDone(traffic: TrafficCounter, ctx: RequestContext): void {
  ctx.reply.onClose(() => {
    const { bytesIn, bytesOut } = ctx.bytes.take();
    traffic.record(ctx.site!.id, ctx, ctx.reply.status, ctx.reply.latencyMs(ctx.startedAt), bytesIn, bytesOut);
  });
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
  const contexts = new CertificateStore(options.certificateMaterial);
  const verifier = new BasicAuthVerifier();
  const exploits = createExploitDetector();
  const clients = new UpstreamClients();
  const acmeChallenges = new AcmeChallengeResponder();
  const trafficEnabled = options.traffic?.enabled ?? trafficCountingEnabled();
  const accessLog =
    trafficEnabled && (options.accessLog?.enabled ?? true)
      ? new AccessLogBuffer({ perSiteLimit: options.accessLog?.perSiteLimit ?? accessLogRingSize(), clock: options.accessLog?.clock })
      : null;
  const traffic = trafficEnabled ? new TrafficCounter({ clock: options.traffic?.clock, onFinished: accessLog?.observe }) : null;
  const pool = new UpstreamPool({
    passive: options.passiveHealth,
    onBenched: (upstream, reason) => {
      logger.warn({ upstream: upstream.address, reason }, "upstream benched by passive health checks");
      try {
        options.onUpstreamFailing?.(upstream.id, reason);
      } catch (error) {
        logger.error({ err: error }, "the upstream-failing callback threw");
      }
    },
  });

  // One relay for byte-for-byte connections (pass-through sites and TCP streams); they, and UDP
  // sessions, count as their site's or stream's traffic when they end.
  const countConnection = (ended: EndedConnection) =>
    traffic?.countConnection(ended.routeId, ended.durationMs, ended.bytesIn, ended.bytesOut, ended.clientIp);
  const tcpRelay = new TcpRelay({ pool, connectTimeoutMs: UPSTREAM_CONNECT_TIMEOUT_MS, onEnded: countConnection, logger });
  const streamListeners = new StreamListeners({
    host: options.host,
    ownPorts: options.ownPorts ?? { http: options.httpPort, https: options.httpsPort, control: 0, dashboard: 0 },
    tcpRelay,
    pool,
    onUdpSessionEnded: countConnection,
    logger,
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
  const tlsFront = new TlsFront({
    http1: timeoutOptions,
    contextFor: (servername) => {
      const certificate = runtime?.sni.certificateFor(servername) ?? null;
      return certificate === null ? fallbackContext : contextOrFallback(contexts.context(certificate), fallbackContext);
    },
    policyFor: (servername) => {
      const name = parseHostHeader(servername);
      return (name === null ? null : runtime?.router.matchHostname(name))?.tlsPolicy ?? "intermediate";
    },
    passThrough: passThroughTo(tcpRelay, () => runtime, logger),
    handshakeTimeoutMs: timeouts.headersTimeoutMs,
  });
  if (initialFallback !== undefined) tlsFront.setFallback(initialFallback);
  const certificateCheck = new CertificateCheck(
    (servername, version) => tlsFront.presentedCertificate(servername, version),
    // Asked of the store, not of its memory of failures: that memory may be gone (a later fetch
    // cleared it) while the fallback was presented, and the cause says more than the mismatch.
    async (certificate) => {
      const built = await contexts.context(certificate);
      return built.ok ? null : built.error;
    },
  );

  const httpServers = [httpServer, ...tlsFront.servers];
  const tracker = new ConnectionTracker(httpServers, [tlsFront.listener], timeouts);
  const httpForwarder = new HttpForwarder({
    clients,
    pool,
    proxyTimeoutMs: timeouts.proxyTimeoutMs,
    logger,
    isDraining: () => tracker.isDraining,
  });
  const answerCache = new AnswerCache({ dir: null, memoryShare: 1, coordinator: soleCoordinator, ...options.cache, logger });
  const cachingForwarder = new CachingForwarder(httpForwarder, answerCache, () => tracker.isDraining);
  const upgradeForwarder = new UpgradeForwarder({ pool, proxyTimeoutMs: timeouts.proxyTimeoutMs, logger });
  const env: PipelineEnv = {
    currentRuntime: () => runtime,
    httpsPort: () => boundHttpsPort,
    acmeChallenges,
    exploits,
    bodyPace: { timeoutMs: timeouts.bodyTimeoutMs, minBytesPerSecond: timeouts.bodyMinBytesPerSecond },
    logger,
    countTraffic: traffic === null ? () => undefined : (ctx) => countWhenDone(traffic, ctx),
    forward: {
      request: cachingForwarder.forward,
      upgrade: upgradeForwarder.forward,
    },
  };

  for (const server of httpServers) {
    const scheme = server === httpServer ? "http" : "https";
    server.on("request", (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      if (req instanceof Http2ServerRequest) serveStream(env, tracker, req, res as Http2ServerResponse);
      // Pipelined requests are handled one at a time, in order, as their answers must go out.
      else tracker.admit(res as ServerResponse, (bytes) => serveRequest(env, scheme, req, res as ServerResponse, bytes));
    });
    server.on(
      "upgrade",
      createUpgradeListener({
        tracker,
        serveRequest: (req, res, bytes) => serveRequest(env, scheme, req, res, bytes),
        serveUpgrade: (req, socket, head, bytes) => serveUpgrade(env, scheme, req, socket, head, bytes),
      }),
    );
    server.on("clientError", createClientErrorHandler(logger));
    server.on("error", (error) => logger.error({ err: error, scheme }, "server error"));
  }
  for (const server of tlsFront.servers) {
    server.on("tlsClientError", (error) => logger.debug({ err: error.message }, "TLS handshake failed"));
  }
  tlsFront.listener.on("error", (error) => logger.error({ err: error, scheme: "https" }, "server error"));

  function swapIn(result: CompileSnapshotResult, started: number): ApplyResult {
    if (!result.ok) {
      logger.warn({ error: result.error }, "snapshot rejected; the previous configuration keeps serving");
      return { ok: false, error: result.error };
    }
    runtime = result.runtime;
    const sites = [...result.runtime.sites.values()];
    contexts.retainOnly(sites.flatMap((site) => (site.certificate === null ? [] : [site.certificate])));
    const streams = [...result.runtime.streams.values()];
    const siteUpstreams = sites.flatMap((site) => [...upstreamsOf(site), ...(site.passthrough?.group.upstreams ?? [])].map((u) => u.id));
    pool.retainOnly(new Set([...siteUpstreams, ...streams.flatMap(streamUpstreamIds)]));
    streamListeners.apply(result.runtime.streams);
    clients.retainOnly(sites.flatMap((site) => upstreamsOf(site).map((upstream) => ({ upstream, verifyTls: site.verifyUpstreamTls }))));
    answerCache.retain(new Set(sites.flatMap((site) => (site.cache === null ? [] : [site.id]))));
    const failed = Object.keys(result.siteErrors).length;
    logger.info(
      { revision: result.runtime.revision, sites: result.runtime.sites.size, failedSites: failed, ms: Math.round(performance.now() - started) },
      "configuration applied",
    );
    if (failed > 0) logger.warn({ siteErrors: result.siteErrors }, "some sites could not be updated");
    return { ok: true, revision: result.runtime.revision, siteErrors: result.siteErrors };
  }

  function updateFallback(certificate: FallbackCertificate): void {
    const built = contexts.prepareFallback(certificate);
    if (!built.ok) {
      logger.error({ error: built.error }, "the new fallback certificate cannot be used; keeping the previous one");
      return;
    }
    if (built.context === fallbackContext) return;
    fallbackContext = built.context;
    tlsFront.setFallback(certificate);
  }

  return {
    apply(snapshot, fallbackCertificate) {
      const started = performance.now();
      if (fallbackCertificate !== undefined) updateFallback(fallbackCertificate);
      return swapIn(compileSnapshot(snapshot, { previous: runtime, verifier, limits: options.limits }), started);
    },

    applyChanges(changes) {
      const started = performance.now();
      const result = compileChanges(changes, { previous: runtime, verifier, limits: options.limits });
      return result === "stale" ? "stale" : swapIn(result, started);
    },

    setAcmeChallenges(challenges) {
      acmeChallenges.replace(challenges);
      logger.debug({ tokens: acmeChallenges.size }, "ACME challenges updated");
    },

    setUpstreamHealth(states) {
      pool.setActiveHealth(states);
      const down = Object.values(states).filter((state) => state === "down").length;
      logger.debug({ upstreams: Object.keys(states).length, down }, "upstream health updated");
    },

    setTicketKeys(keys) {
      tlsFront.setTicketKeys(keys);
    },

    async checkCertificates() {
      const checked = runtime;
      return checked === null ? { failed: {}, passed: [] } : certificateCheck.run(checked, () => runtime === checked);
    },

    purgeCache(siteId, scope) {
      return answerCache.purge(siteId, scope);
    },
    explain(request) {
      return explainRequest(env, pool, request);
    },

    async streamErrors() {
      const compiled = runtime?.streamErrors ?? {};
      return { ...compiled, ...(await streamListeners.errors()) };
    },

    drainTraffic() {
      return traffic?.drain() ?? [];
    },

    drainAccessLog() {
      return accessLog?.drain() ?? [];
    },

    async listen() {
      const httpPort = await listenOn(httpServer, options.httpPort, options.host);
      try {
        boundHttpsPort = await listenOn(tlsFront.listener, options.httpsPort, options.host);
      } catch (error) {
        await closeServer(httpServer);
        throw error;
      }
      logger.info({ httpPort, httpsPort: boundHttpsPort, host: options.host ?? "*" }, "data plane listening");
      return { httpPort, httpsPort: boundHttpsPort };
    },

    close(closeOptions = {}) {
      closing ??= (async () => {
        const closed = Promise.all([closeServer(httpServer), closeServer(tlsFront.listener), streamListeners.stopAccepting()]);
        // Stream connections drain with the requests in flight, and are cut with them at the end.
        const idle = Promise.all([tracker.startDraining(), streamListeners.idle()]);
        const drainMs = closeOptions.drainMs ?? 0;
        const active = tracker.activeCount + streamListeners.activeCount;
        if (drainMs > 0 && active > 0) {
          logger.info({ active, drainMs }, "draining in-flight requests");
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
          clearTimeout(timer);
        }
        tracker.destroyAll();
        streamListeners.destroyAll();
        await closed;
        await clients.destroy();
      })();
      return closing;
    },
  };
}
