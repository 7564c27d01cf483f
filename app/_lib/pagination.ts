/** Rows a list page shows at once: a page's size (and the dashboard's memory) does not grow with the number of sites. */
export const PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  /** 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
  /** Position of the first and last item shown, 1-based (0 and 0 when there are none). */
  first: number;
  last: number;
  total: number;
}

/** The items of the page a `?page=` value asks for; a missing, garbled or too large value gives the first or the last page. */
export function pageOf<T>(items: readonly T[], requested: string | string[] | undefined, size: number = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const asked = Number.parseInt(typeof requested === "string" ? requested : "", 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
  const start = (page - 1) * size;
  const shown = items.slice(start, start + size);
  return { items: shown, page, pages, first: shown.length === 0 ? 0 : start + 1, last: start + shown.length, total: items.length };
}
