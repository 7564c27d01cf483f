import { parseHostHeader } from "../routing/parse-host-header";
import { resolveClient } from "../data-plane/client-ip";
import { httpsLocation } from "../data-plane/https-redirect";
import { cleanRequest } from "../data-plane/request-hygiene";
import { holdConnectionSlot, judgeRequest, type GuardVerdict } from "../security/request-guard";
import { ResponseReply } from "./reply";
import type { RequestContext } from "./request-context";
import type { PipelineEnv } from "./pipeline-env";
import { readBody } from "./body-stage";
import { routeWithinSite } from "./route-stage";
import { answer, refuse, type Refusal } from "./answer";
import { maintenance } from "./maintenance";
import { answerUnknownHost } from "./unknown-host";

/** true: go on to the next stage; false: the request is answered (or given up). */
export type StageResult = boolean | Promise<boolean>;
export type Stage = (ctx: RequestContext, env: PipelineEnv) => StageResult;

const TOO_MANY_CONNECTIONS: Refusal = { allowed: false, status: 429, headers: { "retry-after": "1" }, blockedBy: "connection-limit" };
const PASSWORD_CHECK_FAILED: Refusal = { allowed: false, status: 403, headers: {}, blockedBy: "access-list" };

/** Refuses what must never be routed, and puts the target in the one form later stages and the upstream see. */
const hygiene: Stage = (ctx) => {
  const refused = cleanRequest(ctx.req);
  return refused === null || answer(ctx, refused);
};

/** HTTP-01 answers, on the HTTP port, before any site: the CA asks for names no site may have yet. */
const acmeChallenge: Stage = (ctx, env) =>
  !(ctx.scheme === "http" && ctx.reply instanceof ResponseReply && env.acmeChallenges.answer(ctx.req, ctx.reply.res));

const route: Stage = (ctx) => {
  ctx.site = ctx.runtime?.router.match(ctx.req.headers.host) ?? null;
  return ctx.site !== null || answerUnknownHost(ctx);
};

/** Who the client is, and from here on the request counts as the site's traffic. */
const identifyClient: Stage = (ctx, env) => {
  ctx.client = resolveClient(ctx.req, ctx.runtime!.trustedProxies);
  env.countTraffic(ctx);
  return true;
};

/**
 * A pass-through site is served by its upstreams over TLS alone: plain HTTP for its name is sent
 * there with a 308 (same host and path; the method and body are kept). Over HTTPS its requests
 * only come here from a connection made for another name (or none), which answers 421: the
 * client should connect again with this name.
 */
const passedThrough: Stage = (ctx, env) => {
  if (ctx.site!.passthrough === null) return true;
  const hostname = parseHostHeader(ctx.req.headers.host);
  if (ctx.scheme === "https" || hostname === null) return answer(ctx, 421);
  return answer(ctx, 308, { location: httpsLocation(hostname, env.httpsPort(), ctx.req.url) });
};

/** Behind a trusted proxy that terminated TLS, the visitor is on HTTPS already. */
const forceHttps: Stage = (ctx, env) => {
  if (ctx.scheme !== "http" || !ctx.site!.forceHttps || ctx.client.scheme === "https") return true;
  // The hostname comes from the router's match (a name the site owns), never raw from Host.
  const hostname = parseHostHeader(ctx.req.headers.host);
  if (hostname === null) return true;
  // A 301 turns a POST into a GET in browsers; requests that carry a body get 308.
  const status = ctx.req.method === "GET" || ctx.req.method === "HEAD" ? 301 : 308;
  return answer(ctx, status, { location: httpsLocation(hostname, env.httpsPort(), ctx.req.url) });
};

const websocketsAllowed: Stage = (ctx) => ctx.kind !== "upgrade" || ctx.site!.websockets || answer(ctx, 400);

/**
 * The site's protections (rate limit, exploit patterns, access list); a request let through holds
 * its per-address connection slot until its answer is done. Synchronous unless a password is
 * being checked or the primary decides the limits for all workers (shared-limits.ts).
 */
export const protect: Stage = (ctx, env) => {
  const verdict = judgeRequest(ctx.site!.protection, env.exploits, ctx.req, ctx.client.ip);
  return verdict instanceof Promise
    ? verdict.then(
        (settled) => admit(ctx, settled),
        () => refuse(ctx, PASSWORD_CHECK_FAILED),
      )
    : admit(ctx, verdict);
};

function admit(ctx: RequestContext, verdict: GuardVerdict): StageResult {
  if (!verdict.allowed) return refuse(ctx, verdict);
  const done = { once: (_event: "close", listener: () => void) => ctx.reply.onClose(listener) };
  const held = holdConnectionSlot(ctx.site!.protection, ctx.client.ip, done);
  if (!(held instanceof Promise)) return held || refuse(ctx, TOO_MANY_CONNECTIONS);
  return held.then(
    (granted) => granted || refuse(ctx, TOO_MANY_CONNECTIONS),
    () => refuse(ctx, TOO_MANY_CONNECTIONS),
  );
}

/** Every request and upgrade goes through these, in this order; then its kind's final stage. */
export const STAGES: readonly Stage[] = [
  hygiene,
  acmeChallenge,
  route,
  identifyClient,
  passedThrough,
  forceHttps,
  maintenance,
  websocketsAllowed,
  protect,
  routeWithinSite,
  readBody,
];
