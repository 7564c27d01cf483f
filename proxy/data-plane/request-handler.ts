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

/** Sends the request on; its body, if any, goes through a RequestBody that keeps the client to a pace. */
function forward(context: HandlerContext, req: IncomingMessage, res: ServerResponse, site: RuntimeSite): void {
  if (!hasBody(req)) {
    context.forwarder.web(req, res, site, context.scheme, null);
    return;
  }
  const body = new RequestBody(context.bodyPace);
  body.once("stall", () => {
    context.logger.debug({ site: site.id }, "request body too slow");
    // The rest of the body will never be read: the connection cannot carry another request.
    res.shouldKeepAlive = false;
    sendErrorPage(res, 408);
  });
  res.once("close", () => body.destroy());
  req.pipe(body);
  context.forwarder.web(req, res, site, context.scheme, body);
}

/** A refusal carries the site's own response headers too (HSTS above all): they protect every answer. */
function sendRefusal(res: ServerResponse, site: RuntimeSite, scheme: "http" | "https", refusal: Refusal): void {
  const headers: Record<string, string> = { ...refusal.headers };
  applyHeaderEdits(headers, scheme === "https" ? site.protection.headers.responseHttps : site.protection.headers.responseHttp);
  sendErrorPage(res, refusal.status, headers);
}
