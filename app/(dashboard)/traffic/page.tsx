import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { listSites } from "@/lib/services/sites";
import { listStreams } from "@/lib/services/streams";
import { trafficSeries, trafficTop } from "@/lib/services/traffic";
import { cacheSavings } from "@/lib/traffic/cache-savings";
import type { TrafficPoint } from "@/lib/traffic/traffic-delta";
import { formatBytes, formatMs, formatNumber, formatRequestRate, formatResponses, bytesScale, sum } from "@/app/_components/charts/chart-scale";
import { LineChart } from "@/app/_components/charts/line-chart";
import { StackedBars } from "@/app/_components/charts/stacked-bars";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { CacheSummary } from "./cache-summary";
import { SiteSelect } from "./site-select";
import { TopPanels } from "./top-panels";
import { rangeFrom, siteFrom, TRAFFIC_RANGES, trafficHref, type TrafficRange } from "./traffic-range";
import { averageConnectionMs, chartsFor, trafficSubjects, type TrafficSubject } from "./traffic-subjects";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Traffic" };

export default async function TrafficPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const params = await searchParams;
  const range = rangeFrom(params.range);
  const [sites, streams] = await Promise.all([listSites(), listStreams()]);
  const subjects = trafficSubjects(sites, streams);
  const requested = siteFrom(params.site);
  const site = subjects.find((candidate) => candidate.id === requested);
  const to = new Date();
  const from = new Date(to.getTime() - range.durationMs);
  const [points, top] = await Promise.all([
    trafficSeries({ siteId: site?.id, from, to, stepSeconds: range.stepSeconds }),
    trafficTop({ siteId: site?.id, from, to, limit: 10 }),
  ]);

  return (
    <>
      <AutoRefresh everyMs={5000} />
      <PageHeader
        title="Traffic"
        description="Requests, responses, latency, bandwidth, what the cache and compression saved, and the busiest paths and clients per site; connections for streams and pass-through sites. This page updates by itself."
        actions={
          <>
            <SiteSelect subjects={subjects} siteId={site?.id} range={range.key} />
            <nav aria-label="Range" className="flex gap-1">
              {TRAFFIC_RANGES.map((option) => (
                <Link
                  key={option.key}
                  href={trafficHref(site?.id, option.key)}
                  aria-current={option.key === range.key ? "page" : undefined}
                  className={buttonClasses(option.key === range.key ? "primary" : "secondary", "sm")}
                >
                  {option.label}
                </Link>
              ))}
            </nav>
          </>
        }
      />
      {requested && !site ? (
        <Alert tone="warning" className="mb-6">
          That site or stream no longer exists; showing everything.
        </Alert>
      ) : null}
      {site?.connections ? (
        <p data-testid="traffic-connections-note" className="mb-4 text-sm text-slate-500">
          {site.kind === "stream" ? "A stream" : "A pass-through site"} is counted by its connections: the proxy does not see requests inside them.
          Each connection is counted when it ends.
        </p>
      ) : null}
      <TrafficCharts points={points} range={range} subject={site} />
      {top.requests > 0 ? <TopPanels top={top} /> : null}
    </>
  );
}

function TrafficCharts({ points, range, subject }: { points: TrafficPoint[]; range: TrafficRange; subject: TrafficSubject | undefined }) {
  const requests = points.map((point) => point.requests);
  const connections = points.map((point) => point.connections);
  const shown = chartsFor(subject, points);
  const seen = (shown.requests ? sum(requests) : 0) + (shown.connections ? sum(connections) : 0);
  if (seen === 0) {
    return (
      <Card>
        <div className="px-5 py-16 text-center" data-testid="traffic-empty">
          <p className="font-medium text-slate-900">No traffic in this range yet</p>
          <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
            Charts appear a few seconds after visitors reach this site through the proxy.
          </p>
        </div>
      </Card>
    );
  }
  const times = points.map((point) => Date.parse(point.t));
  const stepMs = range.stepSeconds * 1000;
  const minutesPerStep = range.stepSeconds / 60;
  const connectionCharts = shown.connections ? (
    <>
      <ChartCard
        title="Connections per minute"
        description={
          range.stepSeconds === 60
            ? "Connections that ended in each minute."
            : `Average per minute over each ${stepName(range)}, counted as they end.`
        }
      >
        <LineChart
          testId="chart-connections"
          title="Connections per minute"
          times={times}
          stepMs={stepMs}
          formatValue={(value) => `${formatNumber(value)} conn/min`}
          formatTick={(value) => `${formatNumber(value)}/min`}
          formatTotal={(total) => `${total.toLocaleString("en-US")} ${total === 1 ? "connection" : "connections"}`}
          series={[
            {
              name: "connections",
              label: "Connections in range",
              color: "var(--color-chart-indigo)",
              values: connections.map((count) => count / minutesPerStep),
              total: sum(connections),
            },
          ]}
        />
      </ChartCard>
      <ChartCard title="Connection duration" description="How long connections lasted on average, in milliseconds, by when they ended.">
        <LineChart
          testId="chart-connection-duration"
          title="Average connection duration"
          times={times}
          stepMs={stepMs}
          formatValue={formatMs}
          summary="max"
          series={[{ name: "averageMs", label: "Average", color: "var(--color-chart-teal)", values: averageConnectionMs(points) }]}
        />
      </ChartCard>
    </>
  ) : null;
  const bandwidth = (
    <ChartCard
      title="Bandwidth"
      description={
        shown.requests
          ? `Bytes received and sent in each ${stepName(range)}, those compression kept off the wire, and those the cache answered instead of the upstream.`
          : `Bytes received from clients and sent to them in each ${stepName(range)}.`
      }
    >
      <LineChart
        testId="chart-bandwidth"
        title="Bandwidth"
        times={times}
        stepMs={stepMs}
        formatValue={formatBytes}
        scaleFor={bytesScale}
        series={[
          { name: "bytesIn", label: "In", color: "var(--color-chart-sky)", values: points.map((point) => point.bytesIn) },
          { name: "bytesOut", label: "Out", color: "var(--color-chart-violet)", values: points.map((point) => point.bytesOut) },
          ...(shown.requests
            ? [
                {
                  name: "bytesSavedCompression",
                  label: "Saved by compression",
                  color: "var(--color-chart-green)",
                  values: points.map((point) => point.bytesSavedCompression),
                },
                {
                  name: "bytesSavedCache",
                  label: "Saved by the cache",
                  color: "var(--color-chart-teal)",
                  values: points.map((point) => point.bytesSavedCache),
                },
              ]
            : []),
        ]}
      />
    </ChartCard>
  );
  if (!shown.requests) {
    return (
      <div className="grid gap-6 lg:grid-cols-2">
        {connectionCharts}
        {bandwidth}
      </div>
    );
  }
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <CacheSummary savings={cacheSavings(points)} rangeLabel={spanName(range)} />
      <ChartCard
        title="Requests per minute"
        description={range.stepSeconds === 60 ? "Requests in each minute." : `Average per minute over each ${stepName(range)}.`}
      >
        <LineChart
          testId="chart-requests"
          title="Requests per minute"
          times={times}
          stepMs={stepMs}
          formatValue={formatRequestRate}
          formatTick={(value) => `${formatNumber(value)}/min`}
          formatTotal={(total) => `${total.toLocaleString("en-US")} ${total === 1 ? "request" : "requests"}`}
          series={[
            {
              name: "requests",
              label: "Requests in range",
              color: "var(--color-chart-indigo)",
              values: requests.map((count) => count / minutesPerStep),
              total: sum(requests),
            },
          ]}
        />
      </ChartCard>
      <ChartCard title="Responses by status" description={`Responses in each ${stepName(range)}.`}>
        <StackedBars
          testId="chart-status"
          title="Responses by status class"
          times={times}
          stepMs={stepMs}
          formatValue={formatResponses}
          formatTick={formatNumber}
          series={[
            { name: "2xx", label: "2xx", color: "var(--color-chart-green)", values: points.map((point) => point.status2xx) },
            { name: "3xx", label: "3xx", color: "var(--color-chart-blue)", values: points.map((point) => point.status3xx) },
            { name: "4xx", label: "4xx", color: "var(--color-chart-amber)", values: points.map((point) => point.status4xx) },
            { name: "5xx", label: "5xx", color: "var(--color-chart-red)", values: points.map((point) => point.status5xx) },
          ]}
        />
      </ChartCard>
      <ChartCard title="Latency" description="Response time percentiles, in milliseconds.">
        <LineChart
          testId="chart-latency"
          title="Latency percentiles"
          times={times}
          stepMs={stepMs}
          formatValue={formatMs}
          summary="max"
          series={[
            { name: "p50", label: "p50", color: "var(--color-chart-teal)", values: points.map((point) => point.p50Ms) },
            { name: "p95", label: "p95", color: "var(--color-chart-amber)", values: points.map((point) => point.p95Ms) },
            { name: "p99", label: "p99", color: "var(--color-chart-red)", values: points.map((point) => point.p99Ms) },
          ]}
        />
      </ChartCard>
      {bandwidth}
      {connectionCharts}
    </div>
  );
}

function ChartCard({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Card>
      <CardHeader title={title} description={description} />
      <CardContent>{children}</CardContent>
    </Card>
  );
}

/** The whole range in words: "hour", "24 hours", "7 days". */
function spanName(range: TrafficRange): string {
  const hours = range.durationMs / 3_600_000;
  if (hours === 1) return "hour";
  return hours < 48 ? `${hours} hours` : `${hours / 24} days`;
}

function stepName(range: TrafficRange): string {
  const minutes = range.stepSeconds / 60;
  if (minutes < 60) return minutes === 1 ? "minute" : `${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? "hour" : `${hours} hours`;
}
