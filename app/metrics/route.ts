import { collectMetrics } from "@/lib/metrics/collect-metrics";
import { metricsAccess } from "@/lib/metrics/metrics-access";
import { PROMETHEUS_CONTENT_TYPE } from "@/lib/metrics/prometheus-text";
import { logger } from "@/lib/log";

// Counters and gauges are read at every scrape; nothing here may be cached or prerendered.
export const dynamic = "force-dynamic";

const plain = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });

/**
 * GET /metrics: Prometheus metrics, opt-in (Settings). Off: 404, as if there were no such page.
 * On: only with the metrics token. Outside the dashboard's pages, so it never redirects to /login.
 */
export async function GET(request: Request): Promise<Response> {
  const access = await metricsAccess(request.headers.get("authorization"));
  if (access === "disabled") return plain(404, "Not found. Turn on Prometheus metrics in the dashboard's Settings.\n");
  if (access === "denied") {
    return plain(401, "Send the metrics token from Settings as 'Authorization: Bearer <token>'.\n", {
      "www-authenticate": 'Bearer realm="gatekeeper-metrics"',
    });
  }
  try {
    return new Response(await collectMetrics(), {
      status: 200,
      headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  } catch (error) {
    logger.error({ err: error }, "could not collect the metrics");
    return plain(500, "Could not collect the metrics; see the dashboard's log.\n");
  }
}
