import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/app/_lib/session";
import { CertificateTabs } from "./certificate-tabs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Add certificate" };

export default async function NewCertificatePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { type } = await searchParams;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/certificates" className="hover:text-slate-700">
            ← Certificates
          </Link>
        }
        title="Add a certificate"
        description={
          <>
            A certificate lets your sites use HTTPS. Upload the files your certificate provider gave you, or make a self-signed one to try things out.
            For a free, trusted one that renews itself, open a{" "}
            <Link href="/sites" className="text-indigo-700 underline">
              site
            </Link>{" "}
            and click “Get Let&apos;s Encrypt certificate”.
          </>
        }
      />
      <CertificateTabs initialTab={type === "self-signed" ? "self-signed" : "upload"} />
    </>
  );
}
