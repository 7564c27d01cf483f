import type { Metadata } from "next";
import Link from "next/link";
import { DNS_PROVIDERS } from "@/lib/dns/providers";
import { listCertificates } from "@/lib/services/certificates";
import { listDnsProviders } from "@/lib/services/dns-providers";
import { getAppSettings } from "@/lib/services/settings";
import { getSite } from "@/lib/services/sites";
import { listAccessListOptions } from "@/lib/services/site-security-options";
import { getStatus } from "@/lib/services/status";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { ActionButton, ConfirmAction } from "@/app/_components/confirm-action";
import { IfMayChange } from "@/app/_components/role-scope";
import { PageHeader } from "@/app/_components/page-header";
import { SiteStatusBadge } from "@/app/_components/site-row";
import { StatusDot } from "@/app/_components/status-dot";
import { Alert } from "@/app/_components/ui/alert";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { isOrderLive } from "@/app/_lib/certificate-view";
import { requireUser } from "@/app/_lib/session";
import { siteView } from "@/app/_lib/site-view";
import { timeAgo } from "@/app/_lib/time";
import { removeSite, saveSite, setSiteEnabled } from "../actions";
import { certificateChoices, formValuesOf } from "../form-values";
import { SiteForm } from "../site-form";
import { CachePurgePanel } from "./cache-purge-panel";
import { purgeCache } from "./cache-purge-actions";
import { HttpsCard } from "./https-card";
import { ProtectionCard } from "./protection-card";
import { siteTabOf } from "../site-tabs";
import { LiveSummary } from "./live-summary";
import { UpstreamHealthCard } from "./upstream-health-card";
import { httpsCard } from "@/app/_lib/https-model";
import { orNotFound } from "@/app/_lib/or-not-found";
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
  return { title: site ? site.name : "Site" };
}

export default async function SitePage({ params, searchParams }: Props) {
  await requireUser();
  const { id } = await params;
  const { created, tab } = await searchParams;
  const [site, certificates, status, settings, accessLists, dnsProviders] = await Promise.all([
    orNotFound(getSite(id)),
    listCertificates(),
    getStatus(),
    getAppSettings(),
    listAccessListOptions(),
    listDnsProviders(),
  ]);
  const dnsProviderOptions = dnsProviders.map(({ id, name, type }) => ({ id, name, typeLabel: DNS_PROVIDERS[type].label }));
  const view = siteView(site);
  const https = httpsCard(site, certificates);
  const orderRunning = (https.kind === "ordering" || https.kind === "acme") && isOrderLive(https.certificate);

  return (
    <>
      {/* Every second while Let's Encrypt works, so each step shows as it happens; upstream health every 3 s. */}
      <AutoRefresh everyMs={orderRunning ? 1000 : 3000} />
      <PageHeader
        eyebrow={
          <Link href="/sites" className="hover:text-slate-700">
            ← Sites
          </Link>
        }
        title={site.name}
        description={site.hostnames.map(displayHostname).join(", ")}
        actions={
          <>
            <Link href={`/sites/${site.id}/access-log`} className={buttonClasses("secondary", "md")}>
              Access log
            </Link>
            <ActionButton action={setSiteEnabled.bind(null, site.id, !site.enabled)} label={site.enabled ? "Disable site" : "Enable site"} />
            <ConfirmAction
              action={removeSite.bind(null, site.id)}
              label="Delete site"
              confirmLabel="Confirm delete"
              question={`Delete “${site.name}”? Its hostnames stop working.`}
            />
          </>
        }
      />

      {created ? (
        <Alert tone="success" className="mb-4" testId="flash">
          Site added. The proxy starts serving it within a few seconds: watch the status below.
        </Alert>
      ) : null}

      <Card className="mb-6 p-5" aria-labelledby="site-status-title">
        <div className="flex flex-wrap items-start gap-3">
          <StatusDot tone={view.tone} pulse={view.state === "pending"} className="mt-1.5" />
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <h2 id="site-status-title" className="font-semibold text-slate-900">
                Status
              </h2>
              <SiteStatusBadge site={site} />
            </div>
            <p className="mt-1 text-sm text-slate-600">{view.explanation}</p>
            <LiveSummary site={site} https={https} certificates={certificates} />
            {site.status.error ? (
              <p
                role="alert"
                data-testid="site-error"
                className="mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 font-mono text-sm whitespace-pre-wrap text-red-800"
              >
                {site.status.error}
              </p>
            ) : null}
            {!status.proxy.up ? (
              <p className="mt-2 text-sm text-amber-800">
                The proxy is not responding, so changes wait until it runs again. Other sites are not affected by this one.
              </p>
            ) : null}
            <p className="mt-2 text-xs text-slate-500">
              Last saved {timeAgo(site.updatedAt)}
              {site.status.appliedRevision !== null ? ` · proxy applied revision ${site.status.appliedRevision}` : ""}
            </p>
          </div>
        </div>
      </Card>

      <SiteForm
        initialTab={siteTabOf(tab)}
        cards={{
          upstreams: <UpstreamHealthCard site={site} proxyUp={status.proxy.up} />,
          // A pass-through site needs no certificate here: nothing to offer or order.
          https:
            site.tlsMode === "passthrough" ? undefined : (
              <HttpsCard site={site} card={https} settings={settings} proxyUp={status.proxy.up} dnsProviders={dnsProviderOptions} />
            ),
          protection: <ProtectionCard site={site} accessLists={accessLists} />,
          // Only while the cache is on: a cache that is off holds nothing to remove.
          advanced: site.cache.enabled ? (
            <IfMayChange>
              <CachePurgePanel action={purgeCache.bind(null, site.id)} />
            </IfMayChange>
          ) : undefined,
        }}
        action={saveSite.bind(null, site.id)}
        initial={formValuesOf(site)}
        version={site.updatedAt}
        certificates={certificateChoices(certificates)}
        accessLists={accessLists}
        submitLabel="Save site"
        cancelHref="/sites"
      />
    </>
  );
}
