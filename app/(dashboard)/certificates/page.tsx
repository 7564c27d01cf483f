import type { Metadata } from "next";
import { IfMayChange } from "@/app/_components/role-scope";
import Link from "next/link";
import type { Certificate } from "@/lib/schemas/certificate";
import { listCertificates } from "@/lib/services/certificates";
import { listSites } from "@/lib/services/sites";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { CertificateRow } from "@/app/_components/certificate-row";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card, CardHeader } from "@/app/_components/ui/card";
import { InUseBy } from "@/app/_components/in-use-by";
import { isFailedOrder, isOrderLive } from "@/app/_lib/certificate-view";
import { requireUser } from "@/app/_lib/session";
import { removeCertificate } from "./actions";
import { pageOf } from "@/app/_lib/pagination";
import { PaginationNav } from "@/app/_components/pagination-nav";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Certificates" };

export default async function CertificatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { deleted, page: requestedPage } = await searchParams;
  const [all, sites] = await Promise.all([listCertificates(), listSites()]);
  // A failed order is not a certificate yet: it gets its own list above, and the list below skips it.
  const failedOrders = all.filter(isFailedOrder);
  const certificates = all.filter((certificate) => !isFailedOrder(certificate));
  const page = pageOf(certificates, requestedPage);
  const siteNames = new Map(sites.map((site) => [site.id, site.name]));
  const ordering = all.some(isOrderLive);
  return (
    <>
      {/* Every second while Let's Encrypt works on an order, so its progress moves along. */}
      <AutoRefresh everyMs={ordering ? 1000 : 5000} />
      <PageHeader
        title="Certificates"
        description="HTTPS certificates for your sites. The bar shows how much of each certificate's life is left: green is fine, amber means renew within 30 days, red means 7 days or expired. For a free Let's Encrypt certificate, open a site and click “Get Let's Encrypt certificate”."
        actions={
          <IfMayChange minimum="operator">
            <Link href="/certificates/new" className={buttonClasses("primary")}>
              Add certificate
            </Link>
          </IfMayChange>
        }
      />
      {typeof deleted === "string" ? (
        <Alert tone="success" className="mb-4" testId="flash">
          The certificate “{deleted}” was deleted.
        </Alert>
      ) : null}
      {failedOrders.length > 0 ? (
        <Card className="mb-6 border-red-200">
          <CardHeader
            titleId="failed-orders-title"
            title="Failed orders"
            description="Let's Encrypt orders that have not produced a certificate yet. Each says what went wrong and what happens next."
          />
          <ul id="failed-orders" aria-labelledby="failed-orders-title" className="divide-y divide-slate-100">
            {failedOrders.map((order) => (
              <CertificateRow
                key={order.id}
                certificate={order}
                siteNames={siteNames}
                actions={
                  <ConfirmAction
                    action={removeCertificate.bind(null, order.id)}
                    label="Delete order"
                    ariaLabel={`Delete order ${order.name}`}
                    confirmLabel="Confirm delete"
                    question={`Delete the order “${order.name}”?`}
                    size="sm"
                  />
                }
              />
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        {certificates.length === 0 ? (
          <div className="px-5 py-14 text-center">
            <p className="font-medium text-slate-900">No certificates yet</p>
            <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
              Open a site and click “Get Let&apos;s Encrypt certificate” for a free one, upload the certificate and private key from your provider, or
              generate a self-signed one to test with.
            </p>
            <IfMayChange minimum="operator">
              <Link href="/certificates/new" className={buttonClasses("secondary", "sm", "mt-4")}>
                Upload or generate one
              </Link>
            </IfMayChange>
          </div>
        ) : (
          <ul aria-label="Certificates" className="divide-y divide-slate-100">
            {page.items.map((certificate) => (
              <CertificateRow
                key={certificate.id}
                certificate={certificate}
                siteNames={siteNames}
                actions={<DeleteOrInUse certificate={certificate} siteNames={siteNames} />}
              />
            ))}
          </ul>
        )}
        <PaginationNav page={page} basePath="/certificates" noun="certificates" />
      </Card>
    </>
  );
}

/** Delete only what no site uses; otherwise which sites use it, before any confirm. */
function DeleteOrInUse({ certificate, siteNames }: { certificate: Certificate; siteNames: Map<string, string> }) {
  if (certificate.siteIds.length > 0) {
    return <InUseBy kind="certificate" sites={certificate.siteIds.map((id) => ({ id, name: siteNames.get(id) ?? "a site" }))} />;
  }
  return (
    <ConfirmAction
      action={removeCertificate.bind(null, certificate.id)}
      label="Delete certificate"
      ariaLabel={`Delete certificate ${certificate.name}`}
      confirmLabel="Confirm delete"
      question={`Delete “${certificate.name}”?`}
      size="sm"
    />
  );
}
