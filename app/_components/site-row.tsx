import Link from "next/link";
import { uncoveredHostnames } from "@/lib/certs/covers";
import { expiryColour } from "@/lib/certs/expiry";
import type { Certificate } from "@/lib/schemas/certificate";
import type { Site } from "@/lib/schemas/site";
import { cn } from "../_lib/cn";
import { shownUpstreamState, siteHealth } from "../_lib/site-health";
import { siteView } from "../_lib/site-view";
import { Sparkline } from "./charts/sparkline";
import { expiryText } from "./expiry-bar";
import { SiteHealthDot, SiteHealthLabel, UpstreamDot } from "./site-health-dot";
import { StatusDot } from "./status-dot";
import { Badge } from "./ui/badge";
import { displayHostname } from "@/lib/net/display-hostname";

const CERT_TEXT = { green: "text-emerald-700", amber: "text-amber-700", red: "text-red-700" } as const;

export function SiteStatusBadge({ site }: { site: Site }) {
  const view = siteView(site);
  return (
    <Badge tone={view.tone} data-testid="site-status" data-state={view.state} title={view.explanation}>
      <StatusDot tone={view.tone} pulse={view.state === "pending"} className="size-2" />
      {view.label}
    </Badge>
  );
}

/**
 * A site at a glance: its health dot (are its servers up?), status, hostnames -> upstreams (each
 * with its own dot), certificate, its apply error in red, and its requests in the last hour.
 */
export function SiteRow({
  site,
  certificate,
  certificateOnItsWay = false,
  requestsPerMinute,
}: {
  site: Site;
  certificate?: Certificate;
  /** A Let's Encrypt order for this site is running: say so next to its certificate. */
  certificateOnItsWay?: boolean;
  /** Requests per minute over the last hour, oldest first (requestSparklines); no sparkline without it. */
  requestsPerMinute?: readonly number[];
}) {
  const view = siteView(site);
  const health = siteHealth(site);
  const uncovered = certificate ? uncoveredHostnames(certificate.domains, site.hostnames) : [];
  return (
    <li data-testid="site-row" data-site-id={site.id} data-state={view.state} data-health={health.health} className="px-5 py-4 hover:bg-slate-50/60">
      <div className="flex items-start gap-3">
        <SiteHealthDot view={health} className="mt-1.5" />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span className="flex min-w-0 flex-wrap items-baseline gap-x-2">
              <Link href={`/sites/${site.id}`} className="truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                {site.name}
              </Link>
              <SiteHealthLabel view={health} />
              {site.tlsMode === "passthrough" ? (
                <Badge
                  tone="blue"
                  data-testid="site-passthrough"
                  title="The proxy passes the encrypted connection on; the upstream holds the certificate."
                >
                  TLS pass-through
                </Badge>
              ) : null}
            </span>
            <SiteStatusBadge site={site} />
          </div>
          <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
            <span className="flex flex-wrap gap-1">
              {site.hostnames.map((hostname) => (
                <span key={hostname} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs wrap-anywhere text-slate-700">
                  {displayHostname(hostname)}
                </span>
              ))}
            </span>
            <span aria-hidden="true" className="text-slate-400">
              →
            </span>
            <span className="sr-only">forwards to</span>
            <span className="flex flex-wrap gap-x-3 gap-y-1">
              {site.upstreams.map((upstream) => (
                <span key={upstream.id} className="inline-flex min-w-0 items-center gap-1.5 font-mono text-xs wrap-anywhere text-slate-600">
                  <UpstreamDot state={shownUpstreamState(site, upstream.health.state)} />
                  {upstream.url}
                </span>
              ))}
            </span>
          </div>
          <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
            {site.tlsMode === "passthrough" ? (
              <span className="inline-flex items-center gap-1">
                <LockIcon />
                The upstream holds the certificate
              </span>
            ) : certificate ? (
              <span className="inline-flex items-center gap-1">
                <LockIcon />
                <span className="text-slate-600">{certificate.name}</span>
                <span className={cn("font-medium", CERT_TEXT[expiryColour(certificate.daysLeft)])}>· {expiryText(certificate.daysLeft)}</span>
              </span>
            ) : (
              <span>No certificate: HTTP only</span>
            )}
            {certificateOnItsWay ? (
              <span data-testid="site-acme-ordering" className="inline-flex items-center gap-1 font-medium text-indigo-700">
                <span aria-hidden="true" className="inline-block size-3 animate-spin rounded-full border-2 border-indigo-600 border-r-transparent" />
                Let&apos;s Encrypt certificate on its way
              </span>
            ) : null}
            {site.forceHttps ? <span>Forces HTTPS</span> : null}
          </div>
          {site.status.error ? (
            <p role="alert" data-testid="site-error" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              <span className="font-semibold">Not applied: </span>
              {site.status.error}
            </p>
          ) : null}
          {uncovered.length > 0 ? (
            <p data-testid="certificate-warning" className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              The certificate does not cover {uncovered.join(", ")}: visitors there will see a browser warning.
            </p>
          ) : null}
        </div>
        {requestsPerMinute ? (
          // Hidden on narrow screens, where the hostnames and upstreams need the whole width; a fixed
          // width keeps the status badges of all rows in one column.
          <Link
            href={`/traffic?${new URLSearchParams({ site: site.id, range: "1h" }).toString()}`}
            className="hidden w-44 shrink-0 justify-end rounded-md p-1 hover:bg-slate-100 sm:flex"
          >
            <Sparkline
              values={requestsPerMinute}
              label="Requests in the last hour"
              emptyLabel="No requests in the last hour"
              unit={{ one: "request / h", other: "requests / h" }}
            />
          </Link>
        ) : null}
      </div>
    </li>
  );
}

export function LockIcon() {
  return (
    <svg viewBox="0 0 16 16" fill="none" aria-hidden="true" className="size-3.5 text-slate-400">
      <rect x="3" y="7" width="10" height="7" rx="1.5" stroke="currentColor" strokeWidth="1.5" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
