import type { Metadata } from "next";
import { IfMayChange } from "@/app/_components/role-scope";
import Link from "next/link";
import { listCertificates } from "@/lib/services/certificates";
import { listSites } from "@/lib/services/sites";
import { requestSparklines } from "@/lib/services/traffic-sparklines";
import { getStatus } from "@/lib/services/status";
import { AutoRefresh } from "../_components/auto-refresh";
import { CertificateRow } from "../_components/certificate-row";
import { PageHeader } from "../_components/page-header";
import { ProxyStatusCard } from "../_components/proxy-status-card";
import { SiteRow } from "../_components/site-row";
import { buttonClasses } from "../_components/ui/button";
import { Card, CardHeader } from "../_components/ui/card";
import { isFailedOrder, isIssued, isOrderLive } from "../_lib/certificate-view";
import { httpsCard } from "../_lib/https-model";
import { requireUser } from "../_lib/session";
import { siteHealth } from "../_lib/site-health";
import { certificateById, siteView, sortByAttention } from "../_lib/site-view";

export const dynamic = "force-dynamic";

/** Rows of each list here: the ones that need attention come first, the rest are a click away. */
const OVERVIEW_ROWS = 10;
export const metadata: Metadata = { title: "Overview" };

export default async function HomePage() {
  await requireUser();
  const [status, sites, all] = await Promise.all([getStatus(), listSites(), listCertificates()]);
  // A failed order is not a certificate: it is counted on its own and listed on the certificates page.
  const failedOrders = all.filter(isFailedOrder).length;
  const certificates = all.filter((certificate) => !isFailedOrder(certificate));
  const shown = sortByAttention(sites, all).slice(0, OVERVIEW_ROWS);
  // One query for every row's sparkline, never one per site.
  const sparklines = await requestSparklines(shown.map((site) => site.id));
  const certificatesById = certificateById(all);
  const siteNames = new Map(sites.map((site) => [site.id, site.name]));
  const problems = sites.filter((site) => siteView(site).state === "error").length;
  const serversDown = sites.filter((site) => ["down", "degraded"].includes(siteHealth(site).health)).length;
  const expiringSoon = certificates.filter((certificate) => isIssued(certificate) && certificate.daysLeft <= 30).length;
  const ordering = certificates.filter((certificate) => !isIssued(certificate) && isOrderLive(certificate)).length;

  return (
    <>
      <AutoRefresh everyMs={all.some(isOrderLive) ? 1000 : 3000} />
      <PageHeader
        title="Overview"
        description="Your proxy, your sites and their certificates at a glance. This page updates by itself."
        actions={
          <IfMayChange minimum="operator">
            <Link href="/sites/new" className={buttonClasses("primary")}>
              Add site
            </Link>
          </IfMayChange>
        }
      />

      <ProxyStatusCard status={status} />

      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader
            titleId="sites-title"
            title="Sites"
            description={
              sites.length === 0
                ? "Nothing is served yet."
                : `${sites.length} ${sites.length === 1 ? "site" : "sites"}${problems > 0 ? ` · ${problems} with errors` : ""}${serversDown > 0 ? ` · ${serversDown} with servers down` : ""}. Problems are listed first.`
            }
            actions={
              sites.length > 0 ? (
                <Link href="/sites" className="text-sm font-medium text-indigo-700 hover:underline">
                  Manage sites
                </Link>
              ) : null
            }
          />
          {sites.length === 0 ? (
            <EmptyState
              title="Add your first site"
              text="A site connects hostnames such as example.com to the server that runs your app."
              href="/sites/new"
              action="Add a site"
            />
          ) : (
            <ul aria-labelledby="sites-title" className="divide-y divide-slate-100">
              {shown.map((site) => (
                <SiteRow
                  key={site.id}
                  site={site}
                  certificate={site.certificateId ? certificatesById.get(site.certificateId) : undefined}
                  certificateOnItsWay={httpsCard(site, all).kind === "ordering"}
                  requestsPerMinute={sparklines.get(site.id)}
                />
              ))}
            </ul>
          )}
          <MoreLink count={sites.length} href="/sites" noun="sites" />
        </Card>

        <Card className="lg:col-span-2">
          <CardHeader
            titleId="certificates-title"
            title="Certificates"
            description={
              <span data-testid="certificate-count">
                {certificatesSummary(certificates.length - ordering, expiringSoon, ordering)}
                {failedOrders > 0 ? (
                  <>
                    {" · "}
                    <Link href="/certificates#failed-orders" className="font-medium text-red-700 hover:underline">
                      {failedOrders} failed {failedOrders === 1 ? "order" : "orders"}
                    </Link>
                  </>
                ) : null}
              </span>
            }
            actions={
              <IfMayChange minimum="operator">
                <Link href="/certificates/new" className="text-sm font-medium text-indigo-700 hover:underline">
                  Add certificate
                </Link>
              </IfMayChange>
            }
          />
          {certificates.length === 0 ? (
            <EmptyState
              title="No certificates"
              text="Open a site and click “Get Let's Encrypt certificate” for a free one, or upload your own."
              href="/certificates/new"
              action="Upload or generate one"
            />
          ) : (
            <ul aria-labelledby="certificates-title" className="divide-y divide-slate-100">
              {certificates.slice(0, OVERVIEW_ROWS).map((certificate) => (
                <CertificateRow key={certificate.id} certificate={certificate} siteNames={siteNames} />
              ))}
            </ul>
          )}
          <MoreLink count={certificates.length} href="/certificates" noun="certificates" />
        </Card>
      </div>
    </>
  );
}

/** Issued certificates only: one being ordered is counted apart, and so (by the caller) is a failed order. */
function certificatesSummary(issued: number, expiringSoon: number, ordering: number): string {
  if (issued === 0 && ordering === 0) return "No HTTPS certificates yet.";
  return `${issued} ${issued === 1 ? "certificate" : "certificates"}${expiringSoon > 0 ? ` · ${expiringSoon} expiring within 30 days` : ""}${ordering > 0 ? ` · ${ordering} being issued` : ""}`;
}

/** Under a list cut at OVERVIEW_ROWS: the way to the rest. */
function MoreLink({ count, href, noun }: { count: number; href: string; noun: string }) {
  if (count <= OVERVIEW_ROWS) return null;
  return (
    <div className="border-t border-slate-100 px-5 py-3 text-sm">
      <Link href={href} className="font-medium text-indigo-700 hover:underline">
        All {count.toLocaleString("en")} {noun}
      </Link>
    </div>
  );
}

function EmptyState({ title, text, href, action }: { title: string; text: string; href: string; action: string }) {
  return (
    <div className="px-5 py-10 text-center">
      <p className="font-medium text-slate-900">{title}</p>
      <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">{text}</p>
      <IfMayChange minimum="operator">
        <Link href={href} className={buttonClasses("secondary", "sm", "mt-4")}>
          {action}
        </Link>
      </IfMayChange>
    </div>
  );
}
