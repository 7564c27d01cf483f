import type { Metadata } from "next";
import { atLeast } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { AuditChange } from "@/lib/schemas/audit";
import { listAccessLists } from "@/lib/services/access-lists";
import { listAuditChanges } from "@/lib/services/audit";
import { listCertificates } from "@/lib/services/certificates";
import { listDnsProviders } from "@/lib/services/dns-providers";
import { listSites } from "@/lib/services/sites";
import { listUsers } from "@/lib/services/users";
import { PageHeader } from "@/app/_components/page-header";
import { PaginationNav } from "@/app/_components/pagination-nav";
import { Alert } from "@/app/_components/ui/alert";
import { Card } from "@/app/_components/ui/card";
import { historyQuery, historySearch, objectName } from "@/app/_lib/history-view";
import { pageOf } from "@/app/_lib/pagination";
import { requireUser } from "@/app/_lib/session";
import { ChangeEntry } from "./change-entry";
import { HistoryFilters } from "./history-filters";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "History" };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const me = await requireUser();
  const params = await searchParams;
  const { filters, query } = historyQuery(params);
  let changes: AuditChange[] = [];
  let problem: string | null = null;
  try {
    changes = await listAuditChanges(query);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = [error.message, ...Object.values(error.details)].join(": ");
  }
  const page = pageOf(changes, params.page);
  const current = await currentNames(atLeast(me.role, "admin"));
  const actors = [...new Set((await listAuditChanges({ limit: "1000" })).map((change) => change.actor))].sort();
  const search = historySearch(filters).slice(1);
  return (
    <>
      <PageHeader
        title="History"
        description="Who changed what and when, newest first, with sign-ins and API token use. Entries older than 90 days are forgotten."
      />
      <Card>
        <HistoryFilters filters={filters} actors={actors} />
        {problem ? (
          <Alert tone="error" className="mx-5 mb-4" testId="filter-error">
            {problem}
          </Alert>
        ) : null}
        {page.items.length === 0 ? (
          <p className="border-t border-slate-100 px-5 py-10 text-center text-sm text-slate-500">Nothing in the history matches.</p>
        ) : (
          <ul aria-label="Changes" className="divide-y divide-slate-100 border-t border-slate-100">
            {page.items.map((change) => (
              <ChangeEntry
                key={change.id}
                change={change}
                name={objectName(change, current)}
                exists={change.objectId === null || current.has(change.objectId)}
                canUndo={atLeast(me.role, "admin")}
              />
            ))}
          </ul>
        )}
        <PaginationNav page={page} basePath="/history" noun="changes" query={search} />
      </Card>
    </>
  );
}

/** The name of every object that still exists, by id (users only for admins, who may see them). */
async function currentNames(withUsers: boolean): Promise<Map<string, string>> {
  const [sites, certificates, accessLists, providers, users] = await Promise.all([
    listSites(),
    listCertificates(),
    listAccessLists(),
    listDnsProviders(),
    withUsers ? listUsers() : Promise.resolve([]),
  ]);
  return new Map<string, string>([
    ...sites.map((site) => [site.id, site.name] as const),
    ...certificates.map((certificate) => [certificate.id, certificate.name ?? certificate.domains[0] ?? certificate.id] as const),
    ...accessLists.map((list) => [list.id, list.name] as const),
    ...providers.map((provider) => [provider.id, provider.name] as const),
    ...users.map((user) => [user.id, user.email] as const),
  ]);
}
