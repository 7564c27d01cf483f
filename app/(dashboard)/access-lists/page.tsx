import type { Metadata } from "next";
import { IfMayChange } from "@/app/_components/role-scope";
import Link from "next/link";
import type { AccessList } from "@/lib/schemas/access-list";
import { listAccessLists } from "@/lib/services/access-lists";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { Badge } from "@/app/_components/ui/badge";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { rulesEffect, rulesSummary, type RuleCounts } from "./rules-text";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Access lists" };

const countsOf = (list: AccessList): RuleCounts => ({
  allowed: list.allow.length,
  denied: list.deny.length,
  users: list.basicAuth.length,
  satisfy: list.satisfy,
});

export default async function AccessListsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { deleted } = await searchParams;
  const lists = await listAccessLists();
  return (
    <>
      <PageHeader
        title="Access lists"
        description="Who may open a site: visitors from certain IP addresses, visitors who log in with a username and password, or both. One list can protect many sites."
        actions={
          <IfMayChange minimum="operator">
            <Link href="/access-lists/new" className={buttonClasses("primary")}>
              Add access list
            </Link>
          </IfMayChange>
        }
      />
      {typeof deleted === "string" ? (
        <Alert tone="success" className="mb-4" testId="flash">
          The access list “{deleted}” was deleted.
        </Alert>
      ) : null}
      <Card>
        {lists.length === 0 ? (
          <div className="px-5 py-14 text-center">
            <p className="font-medium text-slate-900">No access lists yet</p>
            <p className="mx-auto mt-1 max-w-sm text-sm text-slate-500">
              Keep an admin panel to your office network, or ask for a password before anyone sees a staging site.
            </p>
            <IfMayChange minimum="operator">
              <Link href="/access-lists/new" className={buttonClasses("secondary", "sm", "mt-4")}>
                Add an access list
              </Link>
            </IfMayChange>
          </div>
        ) : (
          <ul aria-label="Access lists" className="divide-y divide-slate-100">
            {lists.map((list) => (
              <li
                key={list.id}
                data-testid="access-list-row"
                data-access-list-id={list.id}
                className="flex flex-wrap items-start justify-between gap-3 px-5 py-4"
              >
                <div className="min-w-0">
                  <h3 className="truncate font-medium text-slate-900">
                    <Link href={`/access-lists/${list.id}`} className="hover:text-indigo-700 hover:underline">
                      {list.name}
                    </Link>
                  </h3>
                  <p data-testid="access-list-summary" className="mt-0.5 text-sm text-slate-600">
                    {rulesSummary(countsOf(list))}
                  </p>
                  <p className="mt-0.5 text-sm text-slate-500">{rulesEffect(countsOf(list))}</p>
                </div>
                <Badge data-testid="access-list-usage" tone={list.siteIds.length > 0 ? "blue" : "slate"}>
                  {list.siteIds.length === 0 ? "Not used" : `Used by ${list.siteIds.length} ${list.siteIds.length === 1 ? "site" : "sites"}`}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
