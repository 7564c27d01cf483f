import type { Metadata } from "next";
import Link from "next/link";
import { getStream } from "@/lib/services/streams";
import { listAccessListOptions } from "@/lib/services/site-security-options";
import { getStatus } from "@/lib/services/status";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { ActionButton, ConfirmAction } from "@/app/_components/confirm-action";
import { PageHeader } from "@/app/_components/page-header";
import { SiteHealthDot } from "@/app/_components/site-health-dot";
import { StatusDot } from "@/app/_components/status-dot";
import { Alert } from "@/app/_components/ui/alert";
import { Badge } from "@/app/_components/ui/badge";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireUser } from "@/app/_lib/session";
import { timeAgo } from "@/app/_lib/time";
import { removeStream, saveStream, setStreamEnabled } from "../actions";
import { formValuesOf, PROTOCOL_TEXT } from "../form-values";
import { StreamForm } from "../stream-form";
import { streamHealth, streamView } from "../stream-view";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireUser();
  const { id } = await params;
  const stream = await getStream(id).catch(() => null);
  return { title: stream ? stream.name : "Stream" };
}

export default async function StreamPage({ params, searchParams }: Props) {
  await requireUser();
  const { id } = await params;
  const { created } = await searchParams;
  const [stream, accessLists, status] = await Promise.all([orNotFound(getStream(id)), listAccessListOptions(), getStatus()]);
  const view = streamView(stream);
  const health = streamHealth(stream);

  return (
    <>
      <AutoRefresh everyMs={3000} />
      <PageHeader
        eyebrow={
          <Link href="/streams" className="hover:text-slate-700">
            ← Streams
          </Link>
        }
        title={stream.name}
        description={`${PROTOCOL_TEXT[stream.protocol].label} on port ${stream.listenPort}`}
        actions={
          <>
            <Link href={`/traffic?${new URLSearchParams({ site: stream.id, range: "1h" }).toString()}`} className={buttonClasses("secondary", "md")}>
              Traffic
            </Link>
            <ActionButton
              action={setStreamEnabled.bind(null, stream.id, !stream.enabled)}
              label={stream.enabled ? "Disable stream" : "Enable stream"}
            />
            <ConfirmAction
              action={removeStream.bind(null, stream.id)}
              label="Delete stream"
              confirmLabel="Confirm delete"
              question={`Delete “${stream.name}”? The proxy stops listening on port ${stream.listenPort}.`}
            />
          </>
        }
      />

      {created ? (
        <Alert tone="success" className="mb-4" testId="flash">
          Stream added. The proxy starts listening on port {stream.listenPort} within a few seconds: watch the status below.
        </Alert>
      ) : null}

      <Card className="mb-6 p-5" aria-labelledby="stream-status-title">
        <div className="flex flex-wrap items-start gap-3">
          <StatusDot tone={view.tone} pulse={view.state === "pending"} className="mt-1.5" />
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <h2 id="stream-status-title" className="font-semibold text-slate-900">
                Status
              </h2>
              <Badge tone={view.tone} data-testid="stream-status" data-state={view.state}>
                {view.label}
              </Badge>
            </div>
            <p className="mt-1 text-sm text-slate-600">{view.explanation}</p>
            <p className="mt-2 flex items-center gap-1.5 text-sm text-slate-700" data-testid="stream-health">
              <SiteHealthDot view={health} />
              <span className="font-medium">Servers: {health.label}</span>
              <span className="text-slate-500">· {health.explanation}</span>
            </p>
            {stream.status.error ? (
              <p
                role="alert"
                data-testid="stream-error"
                className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 font-mono text-sm whitespace-pre-wrap text-red-800"
              >
                {stream.status.error}
              </p>
            ) : null}
            {!status.proxy.up ? (
              <p className="mt-2 text-sm text-amber-800">The proxy is not responding, so changes wait until it runs again.</p>
            ) : null}
            <p className="mt-2 text-xs text-slate-500">
              Last saved {timeAgo(stream.updatedAt)}
              {stream.status.appliedRevision !== null ? ` · proxy applied revision ${stream.status.appliedRevision}` : ""}
            </p>
          </div>
        </div>
      </Card>

      <StreamForm
        action={saveStream.bind(null, stream.id)}
        initial={formValuesOf(stream)}
        version={stream.updatedAt}
        accessLists={accessLists}
        submitLabel="Save stream"
        cancelHref="/streams"
      />
    </>
  );
}
