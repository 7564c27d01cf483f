import type { Certificate } from "@/lib/schemas/certificate";
import type { Site } from "@/lib/schemas/site";
import { expiryColour } from "@/lib/certs/expiry";
import { expiryText } from "@/app/_components/expiry-bar";
import { SiteHealthDot } from "@/app/_components/site-health-dot";
import { StatusDot } from "@/app/_components/status-dot";
import type { HttpsCard } from "@/app/_lib/https-model";
import { siteHealth } from "@/app/_lib/site-health";

/**
 * Are its servers up, and is it on HTTPS: the two things worth knowing before opening any tab,
 * shown above the tabs (each tab has the details).
 */
export function LiveSummary({ site, https, certificates }: { site: Site; https: HttpsCard; certificates: Certificate[] }) {
  const health = siteHealth(site);
  const certificate = site.certificateId ? certificates.find((candidate) => candidate.id === site.certificateId) : undefined;
  return (
    <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
      <div className="flex min-w-0 items-baseline gap-2" data-testid="summary-servers">
        <dt className="shrink-0 text-slate-500">Servers</dt>
        <dd className="flex min-w-0 items-center gap-1.5 font-medium text-slate-800">
          <SiteHealthDot view={health} />
          <span className="min-w-0 break-words">{health.label}</span>
        </dd>
      </div>
      <div className="flex min-w-0 items-baseline gap-2" data-testid="summary-https">
        <dt className="shrink-0 text-slate-500">HTTPS</dt>
        <dd className="flex min-w-0 items-center gap-1.5 font-medium text-slate-800">
          {certificate ? <StatusDot tone={expiryColour(certificate.daysLeft)} className="size-2" /> : null}
          <span className="min-w-0 break-words">
            {site.tlsMode === "passthrough" ? "Passed through: the upstream holds the certificate" : httpsText(https, certificate)}
          </span>
        </dd>
      </div>
    </dl>
  );
}

function httpsText(https: HttpsCard, certificate: Certificate | undefined): string {
  if (https.kind === "ordering") return "Let's Encrypt certificate on its way";
  if (!certificate) return "Off: no certificate";
  return `${certificate.name}: ${expiryText(certificate.daysLeft).toLowerCase()}`;
}
