import { blockedReason } from "@/lib/security/blocked-reason";
import type { AccessLogRow } from "@/lib/services/access-log";
import { formatBytes, formatMs } from "@/app/_components/charts/chart-scale";
import { Badge } from "@/app/_components/ui/badge";
import { requestTime, statusHint, statusTone } from "./access-log-format";

/**
 * Recent requests, newest first: the columns people scan an access log for, and which protection
 * refused a request when any of them was refused.
 */
export function AccessLogTable({ rows }: { rows: AccessLogRow[] }) {
  const now = new Date();
  const anyBlocked = rows.some((row) => row.blockedBy !== undefined);
  return (
    // Focusable, so that a keyboard can scroll the table sideways on a narrow screen.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className="overflow-x-auto" tabIndex={0} aria-label="Requests">
      <table className="w-full text-left text-sm" data-testid="access-log-table">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2.5 whitespace-nowrap">
              Time (UTC)
            </th>
            <th scope="col" className="px-4 py-2.5">
              Method
            </th>
            <th scope="col" className="px-4 py-2.5">
              Path
            </th>
            <th scope="col" className="px-4 py-2.5">
              Status
            </th>
            {anyBlocked ? (
              <th scope="col" className="px-4 py-2.5 whitespace-nowrap">
                Blocked by
              </th>
            ) : null}
            <th scope="col" className="px-4 py-2.5 text-right">
              Latency
            </th>
            <th scope="col" className="px-4 py-2.5 text-right whitespace-nowrap">
              In / out
            </th>
            <th scope="col" className="px-4 py-2.5 whitespace-nowrap">
              Client IP
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row, index) => (
            <tr key={`${row.time}-${index}`} className="align-top hover:bg-slate-50" data-testid="access-log-row">
              <td className="px-4 py-2 font-mono text-xs whitespace-nowrap text-slate-600" title={row.time}>
                {requestTime(row.time, now)}
              </td>
              <td className="px-4 py-2 font-mono text-xs font-medium text-slate-800">{row.method}</td>
              <td className="max-w-md px-4 py-2">
                <p className="font-mono text-xs break-all text-slate-900">{row.path}</p>
                {row.userAgent ? (
                  <p className="mt-0.5 truncate text-xs text-slate-500" title={row.userAgent}>
                    {row.userAgent}
                  </p>
                ) : null}
              </td>
              <td className="px-4 py-2">
                <Badge tone={statusTone(row.status)} title={statusHint(row.status)} data-testid="access-log-status">
                  {row.status === 0 ? "—" : row.status}
                </Badge>
              </td>
              {anyBlocked ? <BlockedByCell blockedBy={row.blockedBy} /> : null}
              <td className="px-4 py-2 text-right font-mono text-xs whitespace-nowrap text-slate-700">{formatMs(row.latencyMs)}</td>
              <td className="px-4 py-2 text-right font-mono text-xs whitespace-nowrap text-slate-700">
                {formatBytes(row.bytesIn)} / {formatBytes(row.bytesOut)}
              </td>
              <td className="px-4 py-2 font-mono text-xs whitespace-nowrap text-slate-700">{row.clientIp || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** "Rate limit", or for an exploit rule its category and what it looks for: "SQL injection: …". */
function BlockedByCell({ blockedBy }: { blockedBy: string | undefined }) {
  if (blockedBy === undefined) {
    return (
      <td className="px-4 py-2 text-xs text-slate-500" data-testid="access-log-blocked-by">
        —
      </td>
    );
  }
  const reason = blockedReason(blockedBy);
  return (
    <td className="max-w-xs min-w-40 px-4 py-2 text-xs" data-testid="access-log-blocked-by">
      <span title={reason.ruleId === undefined ? reason.description : `Rule ${reason.ruleId}`}>
        <span className="font-medium text-red-700">{reason.label}</span>
        {reason.detail !== undefined ? <span className="text-slate-600">: {reason.detail}</span> : null}
      </span>
    </td>
  );
}
