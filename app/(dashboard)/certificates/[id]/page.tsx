import type { Metadata } from "next";
import Link from "next/link";
import type { Certificate } from "@/lib/schemas/certificate";
import { getCertificate } from "@/lib/services/certificates";
import { getDnsProvider } from "@/lib/services/dns-providers";
import { listSites } from "@/lib/services/sites";
import { getStatus } from "@/lib/services/status";
import { AcmeProgress } from "@/app/_components/acme-progress";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { ActionButton, ConfirmAction } from "@/app/_components/confirm-action";
import { ExpiryBar } from "@/app/_components/expiry-bar";
import { PageHeader } from "@/app/_components/page-header";
import { Badge } from "@/app/_components/ui/badge";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { asSentence, formatDay, isIssued, isOrderLive, nextStep, renewLabel } from "@/app/_lib/certificate-view";
import { InUseBy } from "@/app/_components/in-use-by";
import { requireUser } from "@/app/_lib/session";
import { formatDate } from "@/app/_lib/time";
import { removeCertificateAndLeave, renewCertificate } from "../actions";
import { orNotFound } from "@/app/_lib/or-not-found";
import { displayHostname } from "@/lib/net/display-hostname";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const SOURCE_LABEL: Record<Certificate["source"], string> = { upload: "Uploaded", "self-signed": "Self-signed", acme: "Let's Encrypt" };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireUser();
  const { id } = await params;
  const certificate = await getCertificate(id).catch(() => null);
  return { title: certificate ? certificate.name : "Certificate" };
}

export default async function CertificatePage({ params }: Props) {
  await requireUser();
  const { id } = await params;
  const [certificate, sites, status] = await Promise.all([orNotFound(getCertificate(id)), listSites(), getStatus()]);
  const siteNames = new Map(sites.map((site) => [site.id, site.name]));
  const issued = isIssued(certificate);
  const live = isOrderLive(certificate);
  const acme = certificate.source === "acme";
  const dnsProvider = certificate.dnsProviderId ? await getDnsProvider(certificate.dnsProviderId).catch(() => null) : null;

  return (
    <>
      <AutoRefresh everyMs={live ? 1000 : 3000} />
      <PageHeader
        eyebrow={
          <Link href="/certificates" className="hover:text-slate-700">
            ← Certificates
          </Link>
        }
        title={certificate.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={acme ? "blue" : certificate.source === "self-signed" ? "amber" : "slate"}>{SOURCE_LABEL[certificate.source]}</Badge>
            {live ? <Badge tone="blue">{issued ? "Renewing" : "Ordering"}</Badge> : null}
            {certificate.status === "failed" ? <Badge tone="red">Failed</Badge> : null}
            <span>{certificate.domains.map(displayHostname).join(", ")}</span>
          </span>
        }
        actions={
          <>
            {acme && !live ? <ActionButton action={renewCertificate.bind(null, certificate.id)} label={renewLabel(certificate)} /> : null}
            {certificate.siteIds.length > 0 ? (
              <InUseBy kind="certificate" sites={certificate.siteIds.map((siteId) => ({ id: siteId, name: siteNames.get(siteId) ?? "a site" }))} />
            ) : (
              <ConfirmAction
                action={removeCertificateAndLeave.bind(null, certificate.id)}
                label={issued ? "Delete certificate" : "Delete order"}
                confirmLabel="Confirm delete"
                question={`Delete “${certificate.name}”?`}
              />
            )}
          </>
        }
      />

      {certificate.lastError ? (
        <p role="alert" data-testid="certificate-error" className="mb-6 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <span className="font-semibold">{live ? "The last attempt failed: " : issued ? "Renewal failed: " : "Order failed: "}</span>
          {asSentence(certificate.lastError)}
          {issued ? ` The current certificate keeps serving until ${formatDay(certificate.notAfter)}.` : ""}
          <span data-testid="next-step" className="mt-1 block">
            {nextStep(certificate)}
          </span>
        </p>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader title="Certificate" />
          <CardContent className="space-y-4">
            {issued ? (
              <ExpiryBar daysLeft={certificate.daysLeft} notBefore={certificate.notBefore} notAfter={certificate.notAfter} />
            ) : (
              <p className="text-sm text-slate-600">Not issued yet: the steps on the right show where the order stands.</p>
            )}
            <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
              <dt className="text-slate-500">Names</dt>
              <dd className="flex flex-wrap gap-1">
                {certificate.domains.map((domain) => (
                  <span key={domain} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                    {displayHostname(domain)}
                  </span>
                ))}
              </dd>
              {issued ? (
                <>
                  <dt className="text-slate-500">Issuer</dt>
                  <dd className="break-words text-slate-800">{certificate.issuer}</dd>
                  <dt className="text-slate-500">Valid</dt>
                  <dd className="text-slate-800">
                    {formatDate(certificate.notBefore)} to {formatDate(certificate.notAfter)}
                  </dd>
                  <dt className="text-slate-500">Serial number</dt>
                  <dd className="font-mono text-xs break-all text-slate-700">{certificate.serialNumber}</dd>
                </>
              ) : null}
              {acme ? (
                <>
                  <dt className="text-slate-500">Checked by</dt>
                  <dd data-testid="acme-challenge" className="text-slate-800">
                    {certificate.challenge === "dns-01" ? (
                      <>
                        A DNS TXT record
                        {dnsProvider ? (
                          <>
                            {" "}
                            at{" "}
                            <Link href={`/dns-providers/${dnsProvider.id}`} className="text-indigo-700 hover:underline">
                              {dnsProvider.name}
                            </Link>
                          </>
                        ) : null}
                      </>
                    ) : (
                      "HTTP on port 80 of this proxy"
                    )}
                  </dd>
                  <dt className="text-slate-500">Renewal</dt>
                  <dd data-testid="renews-on" className="text-slate-800">
                    {certificate.autoRenew
                      ? certificate.renewAt
                        ? `Renews automatically on ${formatDay(certificate.renewAt)}`
                        : "Renews automatically once issued"
                      : "Automatic renewal is off"}
                  </dd>
                </>
              ) : null}
              <dt className="text-slate-500">Used by</dt>
              <dd className="text-slate-800">
                {certificate.siteIds.length === 0 ? (
                  <span className="text-slate-500">No site yet</span>
                ) : (
                  certificate.siteIds.map((siteId, index) => (
                    <span key={siteId}>
                      {index > 0 ? ", " : null}
                      <Link href={`/sites/${siteId}`} className="text-indigo-700 hover:underline">
                        {siteNames.get(siteId) ?? "a site"}
                      </Link>
                    </span>
                  ))
                )}
              </dd>
            </dl>
          </CardContent>
        </Card>

        {acme ? (
          <Card className="lg:col-span-2">
            <CardHeader
              title={issued ? "Latest order" : "Order progress"}
              description={live ? "Updates every second." : certificate.progress.length === 0 ? "Nothing has run yet." : undefined}
            />
            <CardContent>
              {certificate.progress.length > 0 || live ? (
                <AcmeProgress certificate={certificate} proxyUp={status.proxy.up} errorShownAbove={certificate.lastError} />
              ) : (
                <p className="text-sm text-slate-500">
                  {issued ? "This certificate has not been renewed since it was issued." : "The order has not started."}
                </p>
              )}
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
