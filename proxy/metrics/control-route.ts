import type { IncomingMessage, ServerResponse } from "node:http";
import { PROXY_TRAFFIC_TOTALS_PATH } from "@/lib/metrics/proxy-traffic-totals";
import type { TrafficTotals } from "./traffic-totals";

export type ControlRoute = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * GET /metrics/traffic on the loopback control port: the primary's cumulative traffic counters
 * as JSON, for the dashboard's /metrics (which adds site names and the database gauges and owns
 * the token check). Returns false for any other request, so the control server can go on.
 */
export function metricsHandler(totals: TrafficTotals): ControlRoute {
  return (request, response) => {
    const path = request.url?.split("?")[0];
    if (path !== PROXY_TRAFFIC_TOTALS_PATH) return false;
    if (request.method !== "GET") {
      response.writeHead(405, { allow: "GET" }).end();
      return true;
    }
    response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(totals.snapshot()));
    return true;
  };
}
