import type { Site } from "@/lib/schemas/site";
import { HealthTimeline } from "@/app/_components/health-timeline";
import { SiteHealthDot, UpstreamStateBadge } from "@/app/_components/site-health-dot";
import { Card } from "@/app/_components/ui/card";
import { cn } from "@/app/_lib/cn";
import { formatLatency, formatUptime, UPTIME_TONE_RULE, uptimeBasis, uptimeTone } from "@/app/_lib/health-timeline";
import { policyName } from "@/app/_lib/load-balancing";
import { notCheckedReason, shownUpstreamState, siteHealth } from "@/app/_lib/site-health";
import { formatDate, timeAgo } from "@/app/_lib/time";
import { DAY_MS, upstreamHistories } from "@/app/_lib/upstream-history";

const UPTIME_TEXT = { green: "text-emerald-700", amber: "text-amber-700", red: "text-red-700", slate: "text-slate-500" } as const;

/**
 * Is each upstream server up? Its state, how fast and how recently it answered the health check,
 * its uptime over 24 hours and a timeline of its ups and downs. The page refreshes it every few seconds.
 */
export async function UpstreamHealthCard({ site, proxyUp }: { site: Site; proxyUp: boolean }) {
  const now = new Date();
  const histories = await upstreamHistories(site, now);
  const health = siteHealth(site);
  const reason = notCheckedReason(site);
  const check = site.healthCheck;
  const several = site.upstreams.length > 1;

  return (
    <Card className="mb-6" aria-labelledby="server-health-title" data-testid="upstream-health">
      <div className="flex flex-wrap items-start gap-3 border-b border-slate-100 px-5 py-4">
        <SiteHealthDot view={health} className="mt-1.5" />
        <div className="min-w-0 flex-1">
          <h2 id="server-health-title" className="font-semibold text-slate-900">
            Server health: <span data-testid="site-health-label">{health.label}</span>
          </h2>
          <p className="mt-0.5 text-sm text-slate-600">{health.explanation}</p>
          {!proxyUp && reason === null ? (
            <p className="mt-1 text-sm text-amber-800">
              The proxy is not running, so nobody checks the servers now: what you see may be out of date.
            </p>
          ) : null}
        </div>
        <p className="basis-full pl-5.5 text-xs text-slate-500 sm:basis-auto sm:pl-0 sm:text-right">
          {reason === null ? (
            <>
              Checks <span className="font-mono">{check.path}</span> every {check.intervalSeconds} s
            </>
          ) : reason === "checks-off" ? (
            <a href="#health-checks" className="font-medium text-indigo-700 hover:underline">
              Turn on health checks
            </a>
          ) : (
            "Site is off"
          )}
          {several ? (
            <>
              <br />
              Load balancing: {policyName(site.loadBalancing.policy)}
            </>
          ) : null}
        </p>
      </div>
      <ul aria-label="Upstream health" className="divide-y divide-slate-100">
        {site.upstreams.map((upstream, index) => {
          const state = shownUpstreamState(site, upstream.health.state);
          const history = histories.get(upstream.id);
          const role = roleOf(site, index, upstream.weight);
          const tone = uptimeTone({ uptime: history?.uptime ?? null, downMs: history?.downMs ?? 0 });
          return (
            <li key={upstream.id} data-testid="upstream-row" data-url={upstream.url} data-state={state} className="px-5 py-4">
              <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
                <div className="flex min-w-0 flex-wrap items-center gap-2">
                  <UpstreamStateBadge state={state} />
                  <span className="font-mono text-sm break-all text-slate-900">{upstream.url}</span>
                  {role ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{role}</span> : null}
                </div>
                <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs sm:text-right">
                  <div>
                    <dt className="text-slate-500">Response time</dt>
                    <dd data-testid="upstream-latency" className="font-medium text-slate-800 tabular-nums">
                      {formatLatency(upstream.health.latencyMs)}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-slate-500">Last check</dt>
                    <dd data-testid="upstream-checked" className="text-slate-700">
                      {upstream.health.checkedAt ? (
                        <time dateTime={upstream.health.checkedAt} title={formatDate(upstream.health.checkedAt)}>
                          {timeAgo(upstream.health.checkedAt, now.getTime())}
                        </time>
                      ) : (
                        "never"
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt data-testid="upstream-uptime-basis" className="text-slate-500">
                      Up over {uptimeBasis(history?.observedMs ?? 0, DAY_MS)}
                    </dt>
                    <dd
                      data-testid="upstream-uptime"
                      data-uptime={history?.uptime ?? ""}
                      data-tone={tone}
                      title={UPTIME_TONE_RULE}
                      className={cn("font-semibold tabular-nums", UPTIME_TEXT[tone])}
                    >
                      {formatUptime(history?.uptime ?? null)}
                    </dd>
                  </div>
                </dl>
              </div>
              {upstream.health.state === "down" && upstream.health.message ? (
                <p data-testid="upstream-message" className="mt-2 text-sm text-red-700">
                  Last check: {upstream.health.message}
                </p>
              ) : null}
              {history ? <HealthTimeline segments={history.segments} changes={history.changes} now={now} /> : null}
            </li>
          );
        })}
      </ul>
      <p aria-hidden="true" className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-100 px-5 py-2.5 text-xs text-slate-500">
        <span>Bars show the last 24 hours:</span>
        <Legend className="bg-emerald-500">up</Legend>
        <Legend className="bg-red-500">down</Legend>
        <Legend className="bg-slate-200">not checked</Legend>
      </p>
    </Card>
  );
}

/** "Main server" / "Backup 1" for failover, "weight 3" for weighted: where the order or weight matters. */
function roleOf(site: Site, index: number, weight: number): string | null {
  if (site.upstreams.length < 2) return null;
  if (site.loadBalancing.policy === "failover") return index === 0 ? "Main server" : `Backup ${index}`;
  if (site.loadBalancing.policy === "weighted") return `weight ${weight}`;
  return null;
}

function Legend({ className, children }: { className: string; children: string }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className={cn("inline-block h-2 w-3 rounded-sm", className)} />
      {children}
    </span>
  );
}
