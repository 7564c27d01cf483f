import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/app/_lib/session";
import { saveDnsProvider } from "../actions";
import { DnsProviderForm } from "../dns-provider-form";
import { NEW_DNS_PROVIDER } from "../form-values";
import { providerTypeViews } from "../provider-types";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Add DNS provider" };

export default async function NewDnsProviderPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/dns-providers" className="hover:text-slate-700">
            ← DNS providers
          </Link>
        }
        title="Add a DNS provider"
        description="Connect the DNS host of your domain, then test it. Orders that use it create and remove their TXT records there by themselves."
      />
      <DnsProviderForm
        action={saveDnsProvider.bind(null, null)}
        types={providerTypeViews()}
        initial={NEW_DNS_PROVIDER}
        submitLabel="Add DNS provider"
        cancelHref="/dns-providers"
      />
    </>
  );
}
