import { STATUS_CODES } from "node:http";
import type { TrafficTop } from "@/lib/services/traffic";
import { TopList } from "./top-list";

/** The colours of the status chart, so a 5xx reads the same in both. */
function statusBar(key: string): string {
  const code = Number(key);
  if (code >= 500) return "bg-red-100";
  if (code >= 400) return "bg-amber-100";
  if (code >= 300) return "bg-blue-100";
  if (code >= 200) return "bg-emerald-100";
  return "bg-slate-100";
}

function statusName(key: string) {
  // 0 is how the counter records a client that left before any answer.
  const meaning = key === "0" ? "No answer (client left)" : STATUS_CODES[key];
  return (
    <>
      {key === "0" ? "—" : key}
      {meaning ? <span className="ml-2 font-sans text-slate-500">{meaning}</span> : null}
    </>
  );
}

/** "Top paths", "Top client IPs" and "Top status codes" for the selected site and range. */
export function TopPanels({ top }: { top: TrafficTop }) {
  return (
    <section aria-label="Top lists" className="mt-6 grid gap-6 lg:grid-cols-3" data-testid="traffic-top" data-requests={top.requests}>
      <TopList
        title="Top paths"
        description="Busiest paths, query strings left out."
        keyLabel="Path"
        testId="top-paths"
        entries={top.paths}
        requests={top.requests}
      />
      <TopList
        title="Top client IPs"
        description="Addresses sending the most requests."
        keyLabel="Client IP"
        testId="top-client-ips"
        entries={top.clientIps}
        requests={top.requests}
        barClass={() => "bg-sky-100"}
      />
      <TopList
        title="Top status codes"
        description="Answers by exact status code."
        keyLabel="Status"
        testId="top-statuses"
        entries={top.statuses}
        requests={top.requests}
        renderKey={statusName}
        barClass={statusBar}
      />
    </section>
  );
}
