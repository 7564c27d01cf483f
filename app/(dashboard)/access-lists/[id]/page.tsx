import type { Metadata } from "next";
import Link from "next/link";
import { getAccessList } from "@/lib/services/access-lists";
import { listSites } from "@/lib/services/sites";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { InUseBy } from "@/app/_components/in-use-by";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireUser } from "@/app/_lib/session";
import { AccessListForm } from "../access-list-form";
import { removeAccessList, saveAccessList } from "../actions";
import { formValuesOf } from "../form-values";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireUser();
  const { id } = await params;
  const list = await getAccessList(id).catch(() => null);
  return { title: list ? list.name : "Access list" };
}

export default async function AccessListPage({ params, searchParams }: Props) {
  await requireUser();
  const { id } = await params;
  const { created } = await searchParams;
  const [list, sites] = await Promise.all([orNotFound(getAccessList(id)), listSites()]);
  const users = sites.filter((site) => list.siteIds.includes(site.id));

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/access-lists" className="hover:text-slate-700">
            ← Access lists
          </Link>
        }
        title={list.name}
        actions={
          users.length > 0 ? (
            <InUseBy kind="accessList" sites={users} />
          ) : (
            <ConfirmAction
              action={removeAccessList.bind(null, list.id)}
              label="Delete access list"
              confirmLabel="Confirm delete"
              question={`Delete “${list.name}”?`}
            />
          )
        }
      />

      {created ? (
        <Alert tone="success" className="mb-4" testId="flash">
          Access list added. To protect a site with it, open the site and choose this list in its settings.
        </Alert>
      ) : null}

      <Card className="mb-6">
        <CardHeader title="Used by" titleId="access-list-sites" />
        <CardContent>
          {users.length === 0 ? (
            <p data-testid="access-list-sites" className="text-sm text-slate-500">
              No site uses this list yet: it protects nothing until you choose it in a site&apos;s settings.
            </p>
          ) : (
            <ul data-testid="access-list-sites" aria-labelledby="access-list-sites" className="flex flex-wrap gap-2">
              {users.map((site) => (
                <li key={site.id}>
                  <Link href={`/sites/${site.id}`} className="rounded-md bg-slate-100 px-2 py-1 text-sm text-slate-800 hover:bg-slate-200">
                    {site.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      <AccessListForm
        action={saveAccessList.bind(null, list.id)}
        initial={formValuesOf(list)}
        version={list.updatedAt}
        submitLabel="Save access list"
        cancelHref="/access-lists"
      />
    </>
  );
}
