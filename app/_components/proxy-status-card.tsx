import type { ProxyStatus } from "@/lib/services/status";
import { timeAgo } from "../_lib/time";
import { StatusDot } from "./status-dot";
import { Card } from "./ui/card";

/** Is the proxy up, and does it serve the latest saved configuration? */
export function ProxyStatusCard({ status }: { status: ProxyStatus }) {
  const { proxy } = status;
  const live = status.appliedRevision !== null && status.appliedRevision >= status.configRevision;
  const ports = [proxy.http.port ? `HTTP :${proxy.http.port}` : null, proxy.https.port ? `HTTPS :${proxy.https.port}` : null]
    .filter(Boolean)
    .join(" · ");
  return (
    <Card className="grid divide-y divide-slate-100 sm:grid-cols-2 sm:divide-x sm:divide-y-0">
      <section aria-labelledby="proxy-status-title" data-testid="proxy-status" data-up={proxy.up} className="flex gap-3 p-5">
        <StatusDot tone={proxy.up ? "green" : "red"} className="mt-1.5" />
        <div className="min-w-0">
          <h2 id="proxy-status-title" className="text-sm font-medium text-slate-500">
            Proxy
          </h2>
          <p className="text-lg font-semibold text-slate-900">{proxy.up ? "Running" : "Not responding"}</p>
          <p className="mt-0.5 text-sm text-slate-500">
            {proxy.up
              ? `${proxy.workers} ${proxy.workers === 1 ? "worker" : "workers"}${ports ? ` · ${ports}` : ""}`
              : "No heartbeat in the last 10 seconds. Check that npm start is running and read its log."}
          </p>
        </div>
      </section>
      <section aria-labelledby="config-status-title" data-testid="config-status" data-live={live} className="flex gap-3 p-5">
        <StatusDot tone={live ? "green" : "amber"} pulse={!live} className="mt-1.5" />
        <div className="min-w-0">
          <h2 id="config-status-title" className="text-sm font-medium text-slate-500">
            Configuration
          </h2>
          <p className="text-lg font-semibold text-slate-900">{live ? "All changes live" : "Applying…"}</p>
          <p className="mt-0.5 text-sm text-slate-500">
            {live
              ? `Revision ${status.configRevision}, applied ${timeAgo(status.appliedAt)}`
              : status.appliedRevision === null
                ? `Revision ${status.configRevision} saved; the proxy has not applied any yet`
                : `Proxy serves revision ${status.appliedRevision}; revision ${status.configRevision} is saved`}
          </p>
        </div>
      </section>
    </Card>
  );
}
