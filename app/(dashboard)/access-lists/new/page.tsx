import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/app/_lib/session";
import { AccessListForm } from "../access-list-form";
import { saveAccessList } from "../actions";
import { NEW_ACCESS_LIST } from "../form-values";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Add access list" };

export default async function NewAccessListPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/access-lists" className="hover:text-slate-700">
            ← Access lists
          </Link>
        }
        title="Add an access list"
        description="Decide who may open a site: by IP address, with a username and password, or both. Then choose the list in the site's settings."
      />
      <AccessListForm action={saveAccessList.bind(null, null)} initial={NEW_ACCESS_LIST} submitLabel="Add access list" cancelHref="/access-lists" />
    </>
  );
}
