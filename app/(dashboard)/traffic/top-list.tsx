import type { ReactNode } from "react";
import type { TopEntry } from "@/lib/traffic/top-sketch";
import { formatNumber } from "@/app/_components/charts/chart-scale";
import { Card, CardHeader } from "@/app/_components/ui/card";

export interface TopListProps {
  title: string;
  description: string;
  /** Header of the key column ("Path", "Client IP", "Status"). */
  keyLabel: string;
  /** data-testid of the card; rows are `${testId}-row` with data-key and data-count. */
  testId: string;
  entries: TopEntry[];
  /** Requests in the range: each bar is an entry's share of them. */
  requests: number;
  /** How a key reads (a status code with its meaning, say); the key itself by default. */
  renderKey?: (key: string) => ReactNode;
  /** Bar colour per key (Tailwind background class). */
  barClass?: (key: string) => string;
}

/** A share as a whole percentage; a small but real share reads "<1%", never "0%". */
const percent = (share: number): string => (share > 0 && share < 0.005 ? "<1%" : `${Math.round(share * 100)}%`);

/** A top-N table: key, requests and share, with a bar behind each row as wide as its share. */
export function TopList({ title, description, keyLabel, testId, entries, requests, renderKey, barClass }: TopListProps) {
  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description={description} />
      {entries.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid={`${testId}-empty`}>
          Nothing recorded in this range.
        </p>
      ) : (
        <div className="px-3 py-3">
          <table className="w-full table-fixed text-sm">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr className="text-left text-xs font-medium text-slate-500">
                <th scope="col" className="px-2 pb-1.5 font-medium">
                  {keyLabel}
                </th>
                <th scope="col" className="w-28 px-2 pb-1.5 text-right font-medium">
                  Requests
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const share = requests > 0 ? Math.min(1, entry.count / requests) : 0;
                return (
                  <tr key={entry.key} data-testid={`${testId}-row`} data-key={entry.key} data-count={entry.count}>
                    <td className="relative px-2 py-1.5">
                      <span
                        aria-hidden="true"
                        data-testid={`${testId}-bar`}
                        className={`absolute inset-y-0.5 left-0 rounded ${barClass?.(entry.key) ?? "bg-indigo-100"}`}
                        style={{ width: `${(share * 100).toFixed(1)}%` }}
                      />
                      <span className="relative block truncate font-mono text-xs text-slate-800" title={entry.key}>
                        {renderKey ? renderKey(entry.key) : entry.key}
                      </span>
                    </td>
                    <td className="px-2 py-1.5 text-right tabular-nums text-slate-700">
                      {formatNumber(entry.count)}
                      <span className="ml-1.5 inline-block w-10 text-xs text-slate-500">{percent(share)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
