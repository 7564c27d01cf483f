import type { Metadata } from "next";
import { IfMayChange } from "@/app/_components/role-scope";
import Link from "next/link";
import { DNS_PROVIDERS } from "@/lib/dns/providers";
import { listDnsProviders } from "@/lib/services/dns-providers";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { Badge } from "@/app/_components/ui/badge";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "DNS providers" };

export default async function DnsProvidersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { deleted } = await searchParams;
  const providers = await listDnsProviders();
  return (
    <>
      <PageHeader
        title="DNS providers"
        description="Where your domains' DNS is hosted. With one, Let's Encrypt checks a TXT record instead of a request on port 80: the way to wildcard certificates, and to names that do not reach this server."
        actions={
          <IfMayChange minimum="operator">
            <Link href="/dns-providers/new" className={buttonClasses("primary")}>
              Add DNS provider
            </Link>
          </IfMayChange>
        }
      />
      {typeof deleted === "string" ? (
        <Alert tone="success" className="mb-4" testId="flash">
          The DNS provider “{deleted}” was deleted.
        </Alert>
      ) : null}
      <Card>
        {providers.length === 0 ? (
          <div className="px-5 py-14 text-center">
            <p className="font-medium text-slate-900">No DNS providers yet</p>
            <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
              Add the DNS host of your domain (Cloudflare, Route 53, your own BIND…) to order wildcard certificates like *.example.com.
            </p>
            <IfMayChange minimum="operator">
              <Link href="/dns-providers/new" className={buttonClasses("secondary", "sm", "mt-4")}>
                Add a DNS provider
              </Link>
            </IfMayChange>
          </div>
        ) : (
          <ul aria-label="DNS providers" className="divide-y divide-slate-100">
            {providers.map((provider) => (
              <li
                key={provider.id}
                data-testid="dns-provider-row"
                data-dns-provider-id={provider.id}
                className="flex flex-wrap items-start justify-between gap-3 px-5 py-4"
              >
                <div className="min-w-0">
                  <h3 className="font-medium break-words text-slate-900">
                    <Link href={`/dns-providers/${provider.id}`} className="hover:text-indigo-700 hover:underline">
                      {provider.name}
                    </Link>
                  </h3>
                  <p data-testid="dns-provider-type" className="mt-0.5 text-sm text-slate-600">
                    {DNS_PROVIDERS[provider.type].label}
                  </p>
                </div>
                <Badge data-testid="dns-provider-usage" tone={provider.certificateIds.length > 0 ? "blue" : "slate"}>
                  {usage(provider.certificateIds.length)}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

const usage = (count: number): string => (count === 0 ? "Not used" : `Used by ${count} ${count === 1 ? "certificate" : "certificates"}`);
