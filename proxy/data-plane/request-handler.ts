import type { IncomingMessage, ServerResponse } from "node:http";
import { parseHostHeader } from "../routing/parse-host-header";
import { sendErrorPage } from "./error-pages";
import type { HandlerContext } from "./handler-context";
import { sendHttpsRedirect } from "./https-redirect";

export function createRequestHandler(context: HandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    context.tracker.trackResponse(res);
    // A client that vanishes mid-response makes writes fail; that is routine, not a crash.
    res.on("error", (error) => context.logger.debug({ err: error }, "client response error"));
    req.on("error", (error) => context.logger.debug({ err: error }, "client request error"));
    try {
      if (context.scheme === "http" && context.acmeChallenges.answer(req, res)) return;
      const runtime = context.currentRuntime();
      const site = runtime?.router.match(req.headers.host) ?? null;
      if (site === null) {
        sendErrorPage(res, 404);
        return;
      }
      context.traffic?.trackResponse(res, site.id);
      if (context.scheme === "http" && site.forceHttps) {
        const hostname = parseHostHeader(req.headers.host);
        if (hostname !== null) {
          sendHttpsRedirect(req, res, hostname, context.httpsPort());
          return;
        }
      }
      context.forwarder.web(req, res, site, context.scheme);
    } catch (error) {
      context.logger.error({ err: error, host: req.headers.host }, "request handling failed");
      sendErrorPage(res, 500);
    }
  };
}
