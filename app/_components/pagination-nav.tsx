import Link from "next/link";
import type { Page } from "../_lib/pagination";

/** "51–100 of 1,000" with links to the previous and next page; nothing when everything fits on one. */
/** `query`: other parameters the links keep (a list's filters), already encoded, without "?". */
export function PaginationNav({ page, basePath, noun, query }: { page: Page<unknown>; basePath: string; noun: string; query?: string }) {
  if (page.pages <= 1) return null;
  const link = (target: number, label: string) => (
    <Link
      href={`${basePath}?${query ? `${query}&` : ""}page=${target}`}
      className="rounded-md px-2 py-1 font-medium text-indigo-700 hover:bg-indigo-50"
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={`${noun} pages`} className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm text-slate-600">
      <span>
        {page.first.toLocaleString("en")}–{page.last.toLocaleString("en")} of {page.total.toLocaleString("en")} {noun}
      </span>
      <span className="flex gap-2">
        {page.page > 1 ? link(page.page - 1, "Previous") : null}
        {page.page < page.pages ? link(page.page + 1, "Next") : null}
      </span>
    </nav>
  );
}
