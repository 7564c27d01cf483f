import Link from "next/link";
import { buttonClasses } from "@/app/_components/ui/button";
import { Input } from "@/app/_components/ui/input";
import { Select } from "@/app/_components/ui/select";
import { KIND_WORDS } from "@/app/_lib/history-view";

/** A plain GET form: the filters live in the address, so a filtered view can be shared or reloaded. */
export function HistoryFilters({ filters, actors }: { filters: { kind: string; who: string; from: string; to: string }; actors: string[] }) {
  const filtered = Object.values(filters).some((value) => value !== "");
  return (
    <form method="get" action="/history" aria-label="Filter the history" className="flex flex-wrap items-end gap-3 px-5 py-4">
      <label className="flex min-w-0 flex-col gap-1.5 text-sm font-medium text-slate-800">
        Kind
        <Select name="kind" defaultValue={filters.kind} className="w-40">
          <option value="">Any kind</option>
          {Object.entries(KIND_WORDS).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </Select>
      </label>
      <label className="flex min-w-0 flex-col gap-1.5 text-sm font-medium text-slate-800">
        Who
        <Select name="who" defaultValue={filters.who} className="w-56 max-w-full">
          <option value="">Anyone</option>
          {[...new Set([...actors, filters.who].filter(Boolean))].map((actor) => (
            <option key={actor} value={actor}>
              {actor}
            </option>
          ))}
        </Select>
      </label>
      <label className="flex min-w-0 flex-col gap-1.5 text-sm font-medium text-slate-800">
        From
        <Input type="date" name="from" defaultValue={filters.from} className="w-40" />
      </label>
      <label className="flex min-w-0 flex-col gap-1.5 text-sm font-medium text-slate-800">
        To
        <Input type="date" name="to" defaultValue={filters.to} className="w-40" />
      </label>
      <button type="submit" className={buttonClasses("secondary")}>
        Filter
      </button>
      {filtered ? (
        <Link href="/history" className={buttonClasses("ghost")}>
          Show all
        </Link>
      ) : null}
    </form>
  );
}
