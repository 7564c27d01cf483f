import { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Explanation, ExplainRequest } from "@/lib/schemas/explain";
import { upstreamTarget } from "../data-plane/request-target";
import { pickUpstream } from "../forwarding/upstream-choice";
import { readBody } from "../pipeline/body-stage";
import { refuse } from "../pipeline/answer";
import type { PipelineEnv } from "../pipeline/pipeline-env";
import type { RequestContext } from "../pipeline/request-context";
import { protect, STAGES, type Stage } from "../pipeline/stages";
import type { AccessVerdict } from "../security/access-list";
import { fromAccess } from "../security/request-guard";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { ByteCount } from "../traffic/byte-count";
import { NO_ANSWER } from "@/lib/schemas/explain";
import { admitsConnection, passThroughSite, type PassThroughSite } from "../data-plane/pass-through";
import { RecordingReply } from "./recording-reply";

/**
 * What the proxy would do with a request, found by taking it through the same stages a visitor's
 * request takes, with three differences that keep it free of effects: the protections are asked
 * without spending a rate-limit token or holding a connection slot, no body is read, and the last
 * stage picks the upstream instead of sending anything to it.
 */
export async function explainRequest(env: PipelineEnv, pool: UpstreamPool, request: ExplainRequest): Promise<Explanation> {
  const url = new URL(request.url);
  const trace: Explanation = {
    site: null,
    route: null,
    upstreamUrl: null,
    upstreamPath: null,
    upstreamHealth: null,
    protections: [],
    answer: { status: null },
  };
  const passedThrough = url.protocol === "https:" ? passThroughSite(env.currentRuntime(), url.hostname) : null;
  if (passedThrough !== null) return explainPassThrough(pool, passedThrough, request, trace);
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const reply = new RecordingReply(finished);
  const ctx = contextFor(env, request, url, reply);

  const forward = (context: RequestContext): void => {
    const upstream = pickUpstream(pool, context);
    if (upstream === null) {
      reply.send(503);
      return;
    }
    trace.upstreamUrl = upstream.address;
    trace.upstreamPath = upstreamTarget(upstream.url.pathname, context.target);
    trace.upstreamHealth = pool.isAvailable(upstream.id) ? "available" : "benched";
    finished();
  };
  const explainEnv: PipelineEnv = { ...env, countTraffic: () => undefined, forward: { request: forward, upgrade: forward } };
  const stages = STAGES.filter((stage) => stage !== readBody).map((stage) => (stage === protect ? protectionsOf(trace) : stage));

  void run(stages, ctx, explainEnv).catch(() => reply.send(500));
  await done;
  reply.close();
  if (ctx.site !== null) trace.site = { id: ctx.site.id, name: ctx.site.name };
  if (ctx.route !== null) trace.route = { id: ctx.route.id, pathPrefix: ctx.route.pathPrefix };
  if (reply.status !== 0) {
    trace.answer = { status: reply.status, ...(reply.headers.location === undefined ? {} : { location: reply.headers.location }) };
  }
  return trace;
}

/**
 * HTTPS for a pass-through site: the connection goes to an upstream unread, so only the site's
 * address rules and the upstream choice apply; the upstream answers.
 */
function explainPassThrough(pool: UpstreamPool, site: PassThroughSite, request: ExplainRequest, trace: Explanation): Explanation {
  trace.site = { id: site.id, name: site.name };
  trace.protections.push({
    name: "tls-pass-through",
    decision: "passes the encrypted connection on unread: the upstream answers, with its own certificate",
  });
  if (site.protection.accessList !== null) {
    const admitted = admitsConnection(site, request.clientIp);
    trace.protections.push({ name: "access-list", decision: admitted ? "lets it through" : "closes the connection: the address is not allowed" });
    if (!admitted) {
      trace.answer = { status: NO_ANSWER };
      return trace;
    }
  }
  const upstream = pool.pick(site.passthrough.group, { clientAddress: request.clientIp });
  if (upstream === null) {
    trace.answer = { status: NO_ANSWER };
    return trace;
  }
  trace.upstreamUrl = upstream.address;
  trace.upstreamHealth = pool.isAvailable(upstream.id) ? "available" : "benched";
  return trace;
}

async function run(stages: readonly Stage[], ctx: RequestContext, env: PipelineEnv): Promise<void> {
  for (const stage of stages) if (!(await stage(ctx, env))) return;
  env.forward[ctx.kind](ctx);
}

function contextFor(env: PipelineEnv, request: ExplainRequest, url: URL, reply: RecordingReply): RequestContext {
  const scheme = url.protocol === "https:" ? "https" : "http";
  const localPort = url.port === "" ? (scheme === "https" ? 443 : 80) : Number(url.port);
  // A request as the server would have parsed it, from a peer at the given address.
  const socket = { remoteAddress: request.clientIp, localPort, encrypted: scheme === "https" } as unknown as Socket;
  const req = new IncomingMessage(socket);
  req.method = request.method;
  req.url = url.pathname + url.search;
  req.httpVersion = "1.1";
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = { host: url.host, ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])) };
  req.rawHeaders = Object.entries(req.headers).flatMap(([name, value]) => [name, String(value)]);
  req.complete = true;
  const upgrade = req.headers.upgrade?.toLowerCase() === "websocket";
  return {
    kind: upgrade ? "upgrade" : "request",
    scheme,
    req,
    reply,
    bytes: ByteCount.of(socket),
    upgradeHead: upgrade ? Buffer.alloc(0) : null,
    startedAt: performance.now(),
    runtime: env.currentRuntime(),
    localPort,
    site: null,
    upstreams: null,
    target: "",
    route: null,
    client: { ip: request.clientIp, scheme: null, peer: request.clientIp, viaTrustedProxy: false },
    blockedBy: null,
    coded: null,
    cache: null,
    body: null,
  };
}

const ACCESS_WORDS: Record<AccessVerdict["outcome"], string> = {
  pass: "lets it through",
  forbidden: "refuses it (403): the address is not allowed",
  login: "asks for a username and password (401)",
  busy: "asks it to wait (429): too many password checks at once",
};

/**
 * The site's protections in the order the protect stage asks them (request-guard.ts), each with
 * what it would decide. The rate limit is described, not spent: whether this visitor still has
 * tokens depends on what it sent before.
 */
function protectionsOf(trace: Explanation): Stage {
  return async (ctx, env) => {
    const { protection } = ctx.site!;
    if (protection.rateLimiter !== null) {
      const { requestsPerSecond, burst } = protection.rateLimiter.policy;
      trace.protections.push({
        name: "rate-limit",
        decision: `lets it through unless the address sends more than ${requestsPerSecond} a second (bursts of ${burst})`,
      });
    }
    if (protection.blockExploits) {
      const match = env.exploits.inspect(ctx.req.method ?? "GET", ctx.req.url ?? "/", ctx.req.headers);
      trace.protections.push({ name: "block-exploits", decision: match === null ? "lets it through" : `refuses it (403): ${match.ruleId}` });
      if (match !== null) return refuse(ctx, { allowed: false, status: 403, headers: {}, blockedBy: `exploit:${match.ruleId}` });
    }
    if (protection.accessList !== null) {
      const verdict = await protection.accessList.judge(ctx.client.ip, ctx.req.headers.authorization);
      trace.protections.push({ name: "access-list", decision: ACCESS_WORDS[verdict.outcome] });
      const answer = fromAccess(verdict);
      if (!answer.allowed) return refuse(ctx, answer);
    }
    return true;
  };
}
