import type { Metadata } from "next";
import Link from "next/link";
import { ProxyUnreachableError } from "@/lib/config/control-client";
import { AppError, zodDetails } from "@/lib/errors";
import { accessLogQueryInput, accessLogQuerySchema, type AccessLogQueryInput } from "@/lib/schemas/access-log-query";
import { siteAccessLog, type AccessLogView } from "@/lib/services/access-log";
import { getSite } from "@/lib/services/sites";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireUser } from "@/app/_lib/session";
import { AccessLogFilters } from "./access-log-filters";
import { AccessLogTable } from "./access-log-table";
import { displayHostname } from "@/lib/net/display-hostname";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireUser();
  const { id } = await params;
  const site = await getSite(id).catch(() => null);
  return { title: site ? `Access log · ${site.name}` : "Access log" };
}

/**
 * The filters of the page's URL. The filter form's checkbox sends blocked=on (a checkbox's own
 * value), which is read as blocked=1; anything else goes to the schema as it is.
 */
function filterValues(search: Record<string, string | string[] | undefined>): AccessLogQueryInput {
  const values = accessLogQueryInput(search);
  if (values.blocked === "on") values.blocked = "1";
  return values;
}

type Loaded = { kind: "ok"; view: AccessLogView } | { kind: "proxy-down" } | { kind: "failed"; message: string } | { kind: "invalid" };

/** The requests, or why there are none to show; never throws for a down proxy. */
async function load(siteId: string, filters: unknown, valid: boolean): Promise<Loaded> {
  if (!valid) return { kind: "invalid" };
  try {
    return { kind: "ok", view: await siteAccessLog(siteId, filters) };
  } catch (error) {
    if (error instanceof ProxyUnreachableError) return { kind: "proxy-down" };
    if (error instanceof AppError) return { kind: "failed", message: error.message };
    throw error;
  }
}

export default async function AccessLogPage({ params, searchParams }: Props) {
  await requireUser();
  const { id } = await params;
  const search = await searchParams;
  const site = await orNotFound(getSite(id));
  const values = filterValues(search);
  const parsed = accessLogQuerySchema.safeParse(values);
  const errors = parsed.success ? {} : zodDetails(parsed.error);
  const live = search.live === "1";
  const loaded = await load(site.id, values, parsed.success);
  const base = `/sites/${site.id}/access-log`;
  const blocked = parsed.success && parsed.data.blocked === true;
  // Filters besides "only blocked" and the page size.
  const filtered = Object.keys(values).some((field) => field !== "limit" && field !== "blocked");
  const liveQuery = new URLSearchParams(Object.entries(values));
  if (!live) liveQuery.set("live", "1");

  return (
    <>
      {live ? <AutoRefresh everyMs={3000} /> : null}
      <PageHeader
        eyebrow={
          <Link href={`/sites/${site.id}`} className="hover:text-slate-700">
            ← {site.name}
          </Link>
        }
        title={blocked ? "Access log: blocked requests" : "Access log"}
        description={
          blocked ? (
            <>
              Requests to {site.hostnames.map(displayHostname).join(", ")} that the site&apos;s protections refused (rate limit, connection cap,
              access list, exploit blocking), newest first. The proxy keeps up to 1,000 of them apart from the other requests, so they stay here after
              normal traffic has pushed them out of the{" "}
              <Link href={base} className="font-medium text-indigo-700 hover:underline">
                full log
              </Link>
              ; they are gone when it restarts.
            </>
          ) : (
            <>
              Recent requests to {site.hostnames.map(displayHostname).join(", ")}, newest first. The proxy keeps the latest ones of each site in
              memory; they are gone when it restarts. Requests its protections refused are also kept apart:{" "}
              <Link href={`${base}?blocked=1`} className="font-medium text-indigo-700 hover:underline" data-testid="access-log-blocked-link">
                show only blocked requests
              </Link>
              .
            </>
          )
        }
        actions={
          <Link
            href={`${base}${liveQuery.size > 0 ? `?${liveQuery.toString()}` : ""}`}
            className={buttonClasses(live ? "primary" : "secondary", "sm")}
            data-testid="access-log-live"
          >
            {live ? "Live: on" : "Live: off"}
          </Link>
        }
      />

      <AccessLogFilters action={base} values={values} errors={errors} live={live} />

      {loaded.kind === "proxy-down" ? (
        <Alert tone="warning" title="The proxy is not running" testId="access-log-proxy-down">
          Recent requests live in the proxy&apos;s memory, so they can only be shown while it runs. Start the proxy and reload this page.
        </Alert>
      ) : loaded.kind === "failed" ? (
        <Alert tone="error" title="The access log could not be read">
          {loaded.message}
        </Alert>
      ) : loaded.kind === "invalid" ? (
        <Alert tone="error">Some filters need attention: see the messages next to them.</Alert>
      ) : loaded.view.entries.length === 0 ? (
        <Card>
          <div className="px-5 py-16 text-center" data-testid="access-log-empty">
            {blocked && !filtered ? (
              <>
                <p className="font-medium text-slate-900">No blocked requests</p>
                <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
                  None of the recent requests to this site was refused by its protections.{" "}
                  <Link href={base} className="font-medium text-indigo-700 hover:underline">
                    See every request
                  </Link>
                  .
                </p>
              </>
            ) : filtered ? (
              <>
                <p className="font-medium text-slate-900">
                  {blocked ? "No blocked requests match these filters" : "No requests match these filters"}
                </p>
                <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
                  <Link href={blocked ? `${base}?blocked=1` : base} className="font-medium text-indigo-700 hover:underline">
                    Clear the filters
                  </Link>{" "}
                  to see every recent {blocked ? "blocked request" : "request"}.
                </p>
              </>
            ) : (
              <>
                <p className="font-medium text-slate-900">No requests yet</p>
                <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">Requests to this site appear here a few seconds after they finish.</p>
              </>
            )}
          </div>
        </Card>
      ) : (
        <Card>
          <p className="border-b border-slate-100 px-5 py-3 text-sm text-slate-600" data-testid="access-log-count">
            {countLine(loaded.view, filtered, blocked)}
          </p>
          <AccessLogTable rows={loaded.view.entries} />
        </Card>
      )}
    </>
  );
}

/**
 * "3 requests", "2 requests match", "The newest 100 of 4,210 matching requests"; with only the
 * blocked ones, "3 blocked requests", "The newest 100 of 1,000 matching blocked requests".
 */
function countLine(view: AccessLogView, filtered: boolean, blocked: boolean): string {
  const total = view.total.toLocaleString("en-US");
  const plural = blocked ? "blocked requests" : "requests";
  if (view.entries.length < view.total) return `The newest ${view.entries.length} of ${total} ${filtered ? `matching ${plural}` : plural}`;
  const noun = view.total === 1 ? (blocked ? "blocked request" : "request") : plural;
  if (!filtered) return `${total} ${noun}`;
  return `${total} ${noun} ${view.total === 1 ? "matches" : "match"}`;
}
