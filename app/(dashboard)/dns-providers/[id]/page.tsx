import type { Metadata } from "next";
import Link from "next/link";
import { getDnsProvider } from "@/lib/services/dns-providers";
import { listCertificates } from "@/lib/services/certificates";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireUser } from "@/app/_lib/session";
import { removeDnsProvider, saveDnsProvider, testProvider } from "../actions";
import { DnsProviderForm } from "../dns-provider-form";
import { formValuesOf } from "../form-values";
import { providerTypeViews } from "../provider-types";
import { TestForm } from "../test-form";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireUser();
  const { id } = await params;
  const provider = await getDnsProvider(id).catch(() => null);
  return { title: provider ? provider.name : "DNS provider" };
}

export default async function DnsProviderPage({ params, searchParams }: Props) {
  await requireUser();
  const { id } = await params;
  const { created } = await searchParams;
  const [provider, certificates] = await Promise.all([orNotFound(getDnsProvider(id)), listCertificates()]);
  const users = certificates.filter((certificate) => provider.certificateIds.includes(certificate.id));

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/dns-providers" className="hover:text-slate-700">
            ← DNS providers
          </Link>
        }
        title={<span className="break-words">{provider.name}</span>}
        actions={
          // Always offered: while certificates use it, the service refuses and says which.
          <ConfirmAction
            action={removeDnsProvider.bind(null, provider.id)}
            label="Delete DNS provider"
            confirmLabel="Confirm delete"
            question={`Delete “${provider.name}”?`}
          />
        }
      />

      {created ? (
        <Alert tone="success" className="mb-4" testId="flash">
          DNS provider added. Test it below with a domain it manages before you order with it.
        </Alert>
      ) : null}

      <Card className="mb-6">
        <CardHeader title="Test" description="Creates a TXT record, waits until the zone's name servers answer it, and removes it." />
        <CardContent>
          <TestForm action={testProvider.bind(null, provider.id)} defaultDomain="" />
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader title="Used by" titleId="dns-provider-certificates" />
        <CardContent>
          {users.length === 0 ? (
            <p data-testid="dns-provider-certificates" className="text-sm text-slate-500">
              No certificate uses this provider yet. Choose it when you order a certificate on a site&apos;s page.
            </p>
          ) : (
            <ul data-testid="dns-provider-certificates" aria-labelledby="dns-provider-certificates" className="flex flex-wrap gap-2">
              {users.map((certificate) => (
                <li key={certificate.id}>
                  <Link
                    href={`/certificates/${certificate.id}`}
                    className="rounded-md bg-slate-100 px-2 py-1 text-sm break-all text-slate-800 hover:bg-slate-200"
                  >
                    {certificate.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <DnsProviderForm
        action={saveDnsProvider.bind(null, provider.id)}
        types={providerTypeViews()}
        initial={formValuesOf(provider)}
        version={provider.updatedAt}
        submitLabel="Save DNS provider"
        cancelHref="/dns-providers"
      />
    </>
  );
}
