import type { IncomingMessage, ServerResponse } from "node:http";
import { parseHostHeader } from "../routing/parse-host-header";
import type { RuntimeSite } from "../runtime/runtime-types";
import { applyHeaderEdits } from "../security/header-plan";
import { resolveClient } from "./client-ip";
import { sendErrorPage } from "./error-pages";
import type { HandlerContext } from "./handler-context";
import { sendHttpsRedirect } from "./https-redirect";
import { protectRequest, type Refusal } from "./protect-request";
import { hasBody, RequestBody } from "./request-body";
import { isInspectableBody, MAX_INSPECTED_BODY_BYTES } from "../security/exploit-detector";
import { markBlocked } from "../security/blocked-mark";
import { cleanRequest } from "./request-hygiene";

/** Handles one request, from hygiene to forwarding; the caller has admitted it on its connection. */
export function createRequestHandler(context: HandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // A client that vanishes mid-response makes writes fail; that is routine, not a crash.
    res.on("error", (error) => context.logger.debug({ err: error }, "client response error"));
    req.on("error", (error) => context.logger.debug({ err: error }, "client request error"));
    try {
      const refused = cleanRequest(req);
      if (refused !== null) {
        sendErrorPage(res, refused);
        return;
      }
      if (context.scheme === "http" && context.acmeChallenges.answer(req, res)) return;
      const runtime = context.currentRuntime();
      const site = runtime?.router.match(req.headers.host) ?? null;
      if (runtime === null || site === null) {
        sendErrorPage(res, 404);
        return;
      }
      const client = resolveClient(req, runtime.trustedProxies);
      context.traffic?.trackResponse(res, site.id);
      // Behind a trusted proxy that terminated TLS, the visitor is on HTTPS already.
      if (context.scheme === "http" && site.forceHttps && client.scheme !== "https") {
        const hostname = parseHostHeader(req.headers.host);
        if (hostname !== null) {
          sendHttpsRedirect(req, res, hostname, context.httpsPort());
          return;
        }
      }
      protectRequest(site, context.exploits, req, client.ip, res, (refusal) => {
        if (refusal === null) forward(context, req, res, site);
        else sendRefusal(res, site, context.scheme, refusal);
      });
    } catch (error) {
      context.logger.error({ err: error, host: req.headers.host }, "request handling failed");
      sendErrorPage(res, 500);
    }
  };
}

/**
 * Sends the request on. Its body, if any, goes through a RequestBody that keeps the client to a
 * pace; when the site blocks exploits, the body's first bytes are inspected before the upstream
 * sees anything of the request.
 */
function forward(context: HandlerContext, req: IncomingMessage, res: ServerResponse, site: RuntimeSite): void {
  if (!hasBody(req)) {
    context.forwarder.web(req, res, site, context.scheme, null);
    return;
  }
  const inspect = site.protection.blockExploits && isInspectableBody(req.headers);
  const body = new RequestBody(context.bodyPace, inspect ? MAX_INSPECTED_BODY_BYTES : 0);
  body.once("stall", () => {
    context.logger.debug({ site: site.id }, "request body too slow");
    answerWithoutBody(res, () => sendErrorPage(res, 408));
  });
  res.once("close", () => body.destroy());
  req.pipe(body);
  if (body.held === null) {
    context.forwarder.web(req, res, site, context.scheme, body);
    return;
  }
  void body.held.then(({ prefix, complete }) => {
    if (res.writableEnded || res.destroyed) return;
    const inspected = prefix.subarray(0, MAX_INSPECTED_BODY_BYTES);
    const match = context.exploits.inspectBody(inspected, req.headers, complete && inspected.length === prefix.length);
    if (match === null) {
      body.release();
      context.forwarder.web(req, res, site, context.scheme, body);
      return;
    }
    const refusal: Refusal = { allowed: false, status: 403, headers: {}, blockedBy: `exploit:${match.ruleId}` };
    markBlocked(req, refusal.blockedBy);
    answerWithoutBody(res, () => sendRefusal(res, site, context.scheme, refusal));
  });
}

/** The rest of the body will never be read: the connection cannot carry another request. */
function answerWithoutBody(res: ServerResponse, answer: () => void): void {
  res.shouldKeepAlive = false;
  answer();
}

/** A refusal carries the site's own response headers too (HSTS above all): they protect every answer. */
function sendRefusal(res: ServerResponse, site: RuntimeSite, scheme: "http" | "https", refusal: Refusal): void {
  const headers: Record<string, string> = { ...refusal.headers };
  applyHeaderEdits(headers, scheme === "https" ? site.protection.headers.responseHttps : site.protection.headers.responseHttp);
  sendErrorPage(res, refusal.status, headers);
}
