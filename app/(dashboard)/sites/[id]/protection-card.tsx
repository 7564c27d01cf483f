import Link from "next/link";
import type { Site } from "@/lib/schemas/site";
import type { AccessListOption } from "@/lib/services/site-security-options";
import { IfMayChange } from "@/app/_components/role-scope";
import { Card } from "@/app/_components/ui/card";
import { cn } from "@/app/_lib/cn";
import { PROTECTION_SECTION_ID } from "../security-section";
import { protectionSummary } from "./protection-summary";

/** What guards the site, at a glance; the Protection settings below it change it. */
export function ProtectionCard({ site, accessLists }: { site: Site; accessLists: AccessListOption[] }) {
  const items = protectionSummary(site, accessLists);
  return (
    <Card className="mb-6 p-5" aria-labelledby="protection-title" data-testid="protection-card">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="protection-title" className="font-semibold text-slate-900">
          Protection
        </h2>
        <div className="flex gap-4 text-sm">
          <Link href={`/sites/${site.id}/access-log?blocked=1`} className="text-indigo-700 hover:underline">
            Blocked requests
          </Link>
          <IfMayChange>
            <Link href={`#${PROTECTION_SECTION_ID}`} className="text-indigo-700 hover:underline">
              Change
            </Link>
          </IfMayChange>
        </div>
      </div>
      <dl className="mt-3 grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
        {items.map((item) => (
          <div key={item.label} className="min-w-0" data-testid={`protection-${item.label.toLowerCase().replace(/\s+/g, "-")}`}>
            <dt className="flex items-center gap-2 text-xs font-medium tracking-wide text-slate-500 uppercase">
              <span aria-hidden="true" className={cn("size-2 shrink-0 rounded-full", item.on ? "bg-emerald-500" : "bg-slate-300")} />
              {item.label}
            </dt>
            <dd className="mt-0.5 text-sm break-words text-slate-800">{item.value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
