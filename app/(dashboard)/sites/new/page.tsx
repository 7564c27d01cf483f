import type { Metadata } from "next";
import Link from "next/link";
import { listCertificates } from "@/lib/services/certificates";
import { listAccessListOptions } from "@/lib/services/site-security-options";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/app/_lib/session";
import { saveSite } from "../actions";
import { certificateChoices, NEW_SITE } from "../form-values";
import { SiteForm } from "../site-form";
import { siteTabOf } from "../site-tabs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Add site" };

export default async function NewSitePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { tab } = await searchParams;
  const [certificates, accessLists] = await Promise.all([listCertificates(), listAccessListOptions()]);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/sites" className="hover:text-slate-700">
            ← Sites
          </Link>
        }
        title="Add a site"
        description="Tell the proxy which hostnames to answer and where to send the traffic. It goes live within seconds."
      />
      <SiteForm
        initialTab={siteTabOf(tab)}
        action={saveSite.bind(null, null)}
        initial={NEW_SITE}
        certificates={certificateChoices(certificates)}
        accessLists={accessLists}
        submitLabel="Add site"
        cancelHref="/sites"
      />
    </>
  );
}
