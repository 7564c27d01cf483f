import Link from "next/link";
import type { ReactNode } from "react";
import type { Certificate, CertificateSource } from "@/lib/schemas/certificate";
import { renewCertificate } from "../(dashboard)/certificates/actions";
import { asSentence, formatDay, isIssued, isOrderLive, nextStep, renewLabel } from "../_lib/certificate-view";
import { AcmeProgressSummary } from "./acme-progress";
import { ActionButton } from "./confirm-action";
import { ExpiryBar } from "./expiry-bar";
import { Badge, type Tone } from "./ui/badge";
import { displayHostname } from "@/lib/net/display-hostname";

const SOURCE: Record<CertificateSource, { label: string; tone: Tone }> = {
  upload: { label: "Uploaded", tone: "slate" },
  "self-signed": { label: "Self-signed", tone: "amber" },
  acme: { label: "Let's Encrypt", tone: "blue" },
};

/**
 * A certificate at a glance: names, issuer, an expiry bar (or, while Let's Encrypt is still
 * issuing it, how far the order got) and the sites that use it.
 */
export function CertificateRow({
  certificate,
  siteNames,
  actions,
}: {
  certificate: Certificate;
  siteNames: Map<string, string>;
  actions?: ReactNode;
}) {
  const source = SOURCE[certificate.source] ?? SOURCE.upload;
  const issued = isIssued(certificate);
  const live = isOrderLive(certificate);
  const acme = certificate.source === "acme";
  return (
    <li data-testid="certificate-row" data-certificate-id={certificate.id} data-status={certificate.status} className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="truncate font-medium text-slate-900">
              <Link href={`/certificates/${certificate.id}`} className="hover:text-indigo-700 hover:underline">
                {certificate.name}
              </Link>
            </h3>
            <Badge tone={source.tone}>{source.label}</Badge>
            {live ? <Badge tone="blue">{issued ? "Renewing" : "Ordering"}</Badge> : null}
            {certificate.status === "failed" ? <Badge tone="red">Failed</Badge> : null}
          </div>
          <p className="mt-1 flex flex-wrap gap-1">
            {certificate.domains.map((domain) => (
              <span key={domain} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs wrap-anywhere text-slate-700">
                {displayHostname(domain)}
              </span>
            ))}
          </p>
        </div>
        {acme && !live ? (
          <div className="flex flex-wrap items-start justify-end gap-2">
            <ActionButton action={renewCertificate.bind(null, certificate.id)} label={renewLabel(certificate)} size="sm" />
            {actions}
          </div>
        ) : (
          actions
        )}
      </div>
      <div className="mt-3 space-y-2">
        {issued ? <ExpiryBar daysLeft={certificate.daysLeft} notBefore={certificate.notBefore} notAfter={certificate.notAfter} /> : null}
        {acme && (!issued || live) ? <AcmeProgressSummary certificate={certificate} renewal={issued} /> : null}
      </div>
      <dl className="mt-3 grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Issuer</dt>
        <dd className="truncate text-slate-700" title={certificate.issuer}>
          {issued ? certificate.issuer : <span className="text-slate-500">Not issued yet</span>}
        </dd>
        {acme && issued && certificate.autoRenew && certificate.renewAt ? (
          <>
            <dt className="text-slate-500">Renewal</dt>
            <dd data-testid="renews-on" className="text-slate-700">
              Renews automatically on {formatDay(certificate.renewAt)}
            </dd>
          </>
        ) : null}
        <dt className="text-slate-500">Used by</dt>
        <dd data-testid="certificate-sites" className="text-slate-700">
          {certificate.siteIds.length === 0 ? (
            <span className="text-slate-500">No site yet</span>
          ) : (
            certificate.siteIds.map((id, index) => (
              <span key={id}>
                {index > 0 ? ", " : null}
                <Link href={`/sites/${id}`} className="text-indigo-700 hover:underline">
                  {siteNames.get(id) ?? "a site"}
                </Link>
              </span>
            ))
          )}
        </dd>
      </dl>
      {certificate.lastError ? (
        <p role="alert" data-testid="certificate-error" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <span className="font-semibold">{live ? "The last attempt failed: " : issued ? "Renewal failed: " : "Order failed: "}</span>
          {asSentence(certificate.lastError)}
          {issued ? ` The current certificate keeps serving until ${formatDay(certificate.notAfter)}.` : ""}
          {` ${nextStep(certificate)}`}
        </p>
      ) : null}
    </li>
  );
}
