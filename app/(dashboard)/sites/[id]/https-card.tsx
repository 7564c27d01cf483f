import Link from "next/link";
import type { Certificate } from "@/lib/schemas/certificate";
import type { AppSettings } from "@/lib/schemas/settings";
import type { Site } from "@/lib/schemas/site";
import { AcmeProgress } from "@/app/_components/acme-progress";
import { ActionButton } from "@/app/_components/confirm-action";
import { ExpiryBar } from "@/app/_components/expiry-bar";
import { LockIcon } from "@/app/_components/site-row";
import { Alert } from "@/app/_components/ui/alert";
import { Badge } from "@/app/_components/ui/badge";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { asSentence, formatDay, isOrderLive, nextAttemptWords } from "@/app/_lib/certificate-view";
import { renewCertificate } from "@/app/(dashboard)/certificates/actions";
import { checkHostnames, orderCertificate, switchSiteCertificate } from "./https-actions";
import type { HttpsCard as HttpsCardModel } from "@/app/_lib/https-model";
import type { DnsProviderOption } from "./https-state";
import { LetsEncryptOffer, OrderForm } from "./lets-encrypt-offer";
import { displayHostname } from "@/lib/net/display-hostname";

const SOURCE_WORDS: Record<Certificate["source"], string> = { upload: "uploaded", "self-signed": "self-signed", acme: "Let's Encrypt" };

/** The site's HTTPS at a glance, and the one-click way to a trusted certificate. */
export function HttpsCard({
  site,
  card,
  settings,
  proxyUp,
  dnsProviders,
}: {
  site: Site;
  card: HttpsCardModel;
  settings: AppSettings;
  proxyUp: boolean;
  dnsProviders: DnsProviderOption[];
}) {
  return (
    <Card className="mb-6" data-testid="https-card" data-kind={card.kind}>
      <CardHeader title="HTTPS certificate" description={description(card)} />
      <CardContent className="space-y-4 py-5">
        <Body site={site} card={card} settings={settings} proxyUp={proxyUp} dnsProviders={dnsProviders} />
      </CardContent>
    </Card>
  );
}

function description(card: HttpsCardModel): string {
  switch (card.kind) {
    case "acme":
      return "A free Let's Encrypt certificate that renews itself.";
    case "ordering":
      return "Let's Encrypt is issuing a certificate for this site. This page follows along; you can also leave it.";
    default:
      return "Let's Encrypt gives this site a free certificate that every browser trusts, and renews it by itself.";
  }
}

type BodyProps = { site: Site; card: HttpsCardModel; settings: AppSettings; proxyUp: boolean; dnsProviders: DnsProviderOption[] };

function Body({ site, card, settings, proxyUp, dnsProviders }: BodyProps) {
  switch (card.kind) {
    case "acme":
      return (
        <InstalledAcme
          site={site}
          certificate={card.certificate}
          justInstalled={card.justInstalled}
          showSteps={card.recentRun || card.certificate.status === "failed"}
          proxyUp={proxyUp}
        />
      );
    case "ordering":
      return <AcmeProgress certificate={card.certificate} proxyUp={proxyUp} />;
    case "wildcard":
      return (
        <>
          <CurrentCertificate certificate={card.current} />
          {card.failedOrder ? <FailedOrder certificate={card.failedOrder} /> : null}
          <div data-testid="acme-wildcard" className="space-y-4">
            <p className="text-sm text-slate-600">
              <span className="font-mono">{card.wildcards.join(", ")}</span> {card.wildcards.length === 1 ? "is a wildcard" : "are wildcards"}:
              Let&apos;s Encrypt checks {card.wildcards.length === 1 ? "it" : "them"} with a TXT record at your DNS provider, not over port 80. One
              certificate then covers <span className="font-mono">{site.hostnames.map(displayHostname).join(", ")}</span>. You can also upload a
              wildcard certificate under{" "}
              <Link href="/certificates/new" className="font-medium text-indigo-700 underline">
                Certificates
              </Link>
              .
            </p>
            <OrderForm
              order={orderCertificate.bind(null, site.id)}
              defaults={{ email: settings.acmeEmail, staging: settings.acmeStaging }}
              offerForceHttps={!site.forceHttps}
              anyway={false}
              replacesFailedOrder={card.failedOrder !== undefined}
              dnsProviders={dnsProviders}
              dnsOnly
            />
          </div>
        </>
      );
    case "issued-unused":
      return (
        <>
          <CurrentCertificate certificate={card.current} />
          <div
            data-testid="acme-issued-unused"
            className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3"
          >
            <p className="text-sm text-emerald-900">
              A Let&apos;s Encrypt certificate for these names is ready:{" "}
              <Link href={`/certificates/${card.certificate.id}`} className="font-medium underline">
                {card.certificate.name}
              </Link>
              . This site does not use it yet.
            </p>
            <ActionButton
              action={switchSiteCertificate.bind(null, site.id, card.certificate.id)}
              label="Use it on this site"
              variant="primary"
              size="sm"
            />
          </div>
        </>
      );
    case "offer":
      return (
        <>
          <CurrentCertificate certificate={card.current} />
          {card.failedOrder ? <FailedOrder certificate={card.failedOrder} /> : null}
          <LetsEncryptOffer
            hostnames={site.hostnames}
            check={checkHostnames.bind(null, site.id)}
            order={orderCertificate.bind(null, site.id)}
            defaults={{ email: settings.acmeEmail, staging: settings.acmeStaging }}
            offerForceHttps={!site.forceHttps}
            replacesFailedOrder={card.failedOrder !== undefined}
            dnsProviders={dnsProviders}
          />
        </>
      );
  }
}

function CurrentCertificate({ certificate }: { certificate: Certificate | undefined }) {
  if (!certificate) {
    return (
      <p data-testid="https-current" className="flex items-center gap-1.5 text-sm text-slate-600">
        <LockIcon />
        Now: no certificate, so this site is served over plain HTTP only.
      </p>
    );
  }
  return (
    <p data-testid="https-current" className="flex flex-wrap items-center gap-1.5 text-sm text-slate-600">
      <LockIcon />
      Now:{" "}
      <Link href={`/certificates/${certificate.id}`} className="font-medium text-indigo-700 hover:underline">
        {certificate.name}
      </Link>{" "}
      ({SOURCE_WORDS[certificate.source]}
      {certificate.source === "self-signed" ? ", browsers show a warning" : ""}).
    </p>
  );
}

function FailedOrder({ certificate }: { certificate: Certificate }) {
  return (
    <div data-testid="acme-failed-order" className="space-y-3 rounded-lg border border-red-200 bg-red-50/50 p-4">
      <p className="text-sm font-semibold text-red-800">The last Let&apos;s Encrypt order failed</p>
      {certificate.progress.length > 0 ? (
        <AcmeProgress certificate={certificate} />
      ) : (
        <p role="alert" className="text-sm text-red-700">
          {certificate.lastError}
        </p>
      )}
      <p className="text-sm text-slate-600">
        The proxy tries again by itself {nextAttemptWords(certificate)}. If a name or a setting was wrong, fix it and order below: the new order
        replaces this one.
      </p>
    </div>
  );
}

function InstalledAcme({
  site,
  certificate,
  justInstalled,
  showSteps,
  proxyUp,
}: {
  site: Site;
  certificate: Certificate;
  justInstalled: boolean;
  showSteps: boolean;
  proxyUp: boolean;
}) {
  const live = isOrderLive(certificate);
  const failed = certificate.status === "failed";
  const first = site.hostnames[0];
  return (
    <>
      {justInstalled ? (
        <Alert tone="success" title="Certificate installed" testId="acme-installed">
          <p>
            Visitors now get a trusted certificate at <span className="font-mono">https://{displayHostname(first ?? "")}</span>
            {site.forceHttps ? ", and http:// visitors are sent there." : "."}
          </p>
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <Link href={`/certificates/${certificate.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
              {certificate.name}
            </Link>
            <Badge tone="blue">Let&apos;s Encrypt</Badge>
            {live ? <Badge tone="blue">Renewing now</Badge> : null}
            {failed ? <Badge tone="red">Renewal failed</Badge> : null}
          </p>
          <p className="text-xs text-slate-500">Issued by {certificate.issuer}</p>
        </div>
        {live ? null : <ActionButton action={renewCertificate.bind(null, certificate.id)} label="Renew now" size="sm" />}
      </div>
      <ExpiryBar daysLeft={certificate.daysLeft} notBefore={certificate.notBefore} notAfter={certificate.notAfter} />
      {certificate.autoRenew && certificate.renewAt ? (
        <p data-testid="renews-on" className="text-sm text-slate-600">
          Renews automatically on {formatDay(certificate.renewAt)}.
        </p>
      ) : null}
      {failed && !live ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          The last renewal failed: {asSentence(certificate.lastError)} The current certificate keeps serving until {formatDay(certificate.notAfter)};
          the proxy tries again by itself {nextAttemptWords(certificate)}.
        </p>
      ) : null}
      {live || showSteps ? <AcmeProgress certificate={certificate} proxyUp={proxyUp} /> : null}
    </>
  );
}
