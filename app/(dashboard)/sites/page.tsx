import type { Metadata } from "next";
import { IfMayChange } from "@/app/_components/role-scope";
import Link from "next/link";
import { listCertificates } from "@/lib/services/certificates";
import { listSites } from "@/lib/services/sites";
import { requestSparklines } from "@/lib/services/traffic-sparklines";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { PageHeader } from "@/app/_components/page-header";
import { SiteRow } from "@/app/_components/site-row";
import { Alert } from "@/app/_components/ui/alert";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { httpsCard } from "@/app/_lib/https-model";
import { requireUser } from "@/app/_lib/session";
import { certificateById, sortByAttention } from "@/app/_lib/site-view";
import { pageOf } from "@/app/_lib/pagination";
import { PaginationNav } from "@/app/_components/pagination-nav";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sites" };

export default async function SitesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { deleted, page: requestedPage } = await searchParams;
  const [sites, certificates] = await Promise.all([listSites(), listCertificates()]);
  const page = pageOf(sortByAttention(sites, certificates), requestedPage);
  // One query for every row's sparkline, never one per site.
  const sparklines = await requestSparklines(page.items.map((site) => site.id));
  const certificatesById = certificateById(certificates);
  return (
    <>
      <AutoRefresh />
      <PageHeader
        title="Sites"
        description="Each site sends visitors of its hostnames to your upstream servers."
        actions={
          <IfMayChange minimum="operator">
            <Link href="/sites/new" className={buttonClasses("primary")}>
              Add site
            </Link>
          </IfMayChange>
        }
      />
      {typeof deleted === "string" ? (
        <Alert tone="success" className="mb-4" testId="flash">
          The site “{deleted}” was deleted. The proxy stops serving it within a few seconds.
        </Alert>
      ) : null}
      <Card>
        {sites.length === 0 ? (
          <div className="px-5 py-14 text-center">
            <p className="font-medium text-slate-900">No sites yet</p>
            <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
              A site connects hostnames such as example.com to the server that runs your app.
            </p>
            <IfMayChange minimum="operator">
              <Link href="/sites/new" className={buttonClasses("secondary", "sm", "mt-4")}>
                Add a site
              </Link>
            </IfMayChange>
          </div>
        ) : (
          <ul aria-label="Sites" className="divide-y divide-slate-100">
            {page.items.map((site) => (
              <SiteRow
                key={site.id}
                site={site}
                certificate={site.certificateId ? certificatesById.get(site.certificateId) : undefined}
                certificateOnItsWay={httpsCard(site, certificates).kind === "ordering"}
                requestsPerMinute={sparklines.get(site.id)}
              />
            ))}
          </ul>
        )}
        <PaginationNav page={page} basePath="/sites" noun="sites" />
      </Card>
    </>
  );
}
