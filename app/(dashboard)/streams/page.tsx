import type { Metadata } from "next";
import Link from "next/link";
import type { Stream } from "@/lib/schemas/stream";
import { listStreams } from "@/lib/services/streams";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { PageHeader } from "@/app/_components/page-header";
import { IfMayChange } from "@/app/_components/role-scope";
import { SiteHealthDot, SiteHealthLabel, UpstreamDot } from "@/app/_components/site-health-dot";
import { StatusDot } from "@/app/_components/status-dot";
import { Alert } from "@/app/_components/ui/alert";
import { Badge } from "@/app/_components/ui/badge";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { PROTOCOL_TEXT } from "./form-values";
import { shownStreamUpstreamState, streamHealth, streamView } from "./stream-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Streams" };

export default async function StreamsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { deleted } = await searchParams;
  const streams = [...(await listStreams())].sort((a, b) => a.listenPort - b.listenPort);
  return (
    <>
      <AutoRefresh />
      <PageHeader
        title="Streams"
        description="TCP and UDP forwarding: a port on the proxy whose connections go, byte for byte, to your servers. For databases, mail, SSH, DNS or game servers."
        actions={
          <IfMayChange minimum="operator">
            <Link href="/streams/new" className={buttonClasses("primary")}>
              Add stream
            </Link>
          </IfMayChange>
        }
      />
      {typeof deleted === "string" ? (
        <Alert tone="success" className="mb-4" testId="flash">
          The stream “{deleted}” was deleted. The proxy stops listening on its port within a few seconds.
        </Alert>
      ) : null}
      <Card>
        {streams.length === 0 ? (
          <div className="px-5 py-14 text-center">
            <p className="font-medium text-slate-900">No streams yet</p>
            <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
              A stream forwards a port, such as 5432 for a database, to the servers behind the proxy.
            </p>
            <IfMayChange minimum="operator">
              <Link href="/streams/new" className={buttonClasses("secondary", "sm", "mt-4")}>
                Add a stream
              </Link>
            </IfMayChange>
          </div>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Streams</caption>
              <thead className="border-b border-slate-200 text-xs font-medium text-slate-500">
                <tr>
                  <th scope="col" className="px-5 py-2.5">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Protocol
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Port
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Upstream servers
                  </th>
                  <th scope="col" className="px-5 py-2.5">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {streams.map((stream) => (
                  <StreamRow key={stream.id} stream={stream} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function StreamRow({ stream }: { stream: Stream }) {
  const view = streamView(stream);
  const health = streamHealth(stream);
  return (
    <tr
      data-testid="stream-row"
      data-stream-id={stream.id}
      data-state={view.state}
      data-health={health.health}
      className="align-top hover:bg-slate-50/60"
    >
      <td className="px-5 py-3">
        <div className="flex items-start gap-2">
          <SiteHealthDot view={health} className="mt-1" />
          <div className="min-w-0">
            <Link href={`/streams/${stream.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
              {stream.name}
            </Link>
            <SiteHealthLabel view={health} className="block" />
          </div>
        </div>
        {stream.status.error ? (
          <p role="alert" data-testid="stream-error" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            <span className="font-semibold">Not applied: </span>
            {stream.status.error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3 whitespace-nowrap text-slate-700" data-testid="stream-protocol">
        {PROTOCOL_TEXT[stream.protocol].short}
      </td>
      <td className="px-3 py-3 font-mono text-slate-800" data-testid="stream-port">
        {stream.listenPort}
      </td>
      <td className="px-3 py-3">
        <ul className="space-y-0.5">
          {stream.upstreams.map((upstream) => (
            <li key={upstream.id} className="inline-flex min-w-0 items-center gap-1.5 font-mono text-xs wrap-anywhere text-slate-600 sm:flex">
              <UpstreamDot state={shownStreamUpstreamState(stream, upstream.health.state)} />
              {upstream.url}
              {upstream.weight !== 1 ? <span className="text-slate-500">weight={upstream.weight}</span> : null}
            </li>
          ))}
        </ul>
      </td>
      <td className="px-5 py-3">
        <div className="flex flex-wrap items-center gap-1.5">
          <Badge tone={view.tone} data-testid="stream-status" data-state={view.state} title={view.explanation}>
            <StatusDot tone={view.tone} pulse={view.state === "pending"} className="size-2" />
            {view.label}
          </Badge>
          {!stream.enabled && view.state !== "disabled" ? <Badge data-testid="stream-disabled">Off</Badge> : null}
        </div>
      </td>
    </tr>
  );
}
