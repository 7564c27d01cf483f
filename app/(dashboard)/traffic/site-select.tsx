"use client";

import { useRouter } from "next/navigation";
import { Select } from "@/app/_components/ui/select";
import { trafficHref } from "./traffic-range";
import type { TrafficSubject } from "./traffic-subjects";

/** Picks "All sites" or one site or stream; keeps the chosen range. */
export function SiteSelect({ subjects, siteId, range }: { subjects: TrafficSubject[]; siteId: string | undefined; range: string }) {
  const router = useRouter();
  const sites = subjects.filter((subject) => subject.kind === "site");
  const streams = subjects.filter((subject) => subject.kind === "stream");
  return (
    <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
      Site
      <Select
        aria-label="Site"
        className="w-56"
        value={siteId ?? "all"}
        onChange={(event) => router.push(trafficHref(event.target.value === "all" ? undefined : event.target.value, range))}
      >
        <option value="all">{streams.length > 0 ? "All sites and streams" : "All sites"}</option>
        {streams.length > 0 ? (
          <>
            <optgroup label="Sites">
              {sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Streams">
              {streams.map((stream) => (
                <option key={stream.id} value={stream.id}>
                  {`${stream.name} · stream`}
                </option>
              ))}
            </optgroup>
          </>
        ) : (
          sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.name}
            </option>
          ))
        )}
      </Select>
    </label>
  );
}
