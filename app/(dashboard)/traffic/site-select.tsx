"use client";

import { useRouter } from "next/navigation";
import { Select } from "@/app/_components/ui/select";
import { trafficHref } from "./traffic-range";

/** Picks "All sites" or one site; keeps the chosen range. */
export function SiteSelect({ sites, siteId, range }: { sites: { id: string; name: string }[]; siteId: string | undefined; range: string }) {
  const router = useRouter();
  return (
    <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
      Site
      <Select
        aria-label="Site"
        className="w-56"
        value={siteId ?? "all"}
        onChange={(event) => router.push(trafficHref(event.target.value === "all" ? undefined : event.target.value, range))}
      >
        <option value="all">All sites</option>
        {sites.map((site) => (
          <option key={site.id} value={site.id}>
            {site.name}
          </option>
        ))}
      </Select>
    </label>
  );
}
