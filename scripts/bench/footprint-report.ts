import type { Footprint } from "./footprint";

/** Issue 12's targets for everything `npm start` runs, idle, and for a one-site change. */
const MEMORY_TARGET_MB: Record<number, number> = { 1: 400, 1000: 500 };
const APPLY_TARGET_MS: Record<number, number> = { 1000: 300, 10000: 1000 };

const mb = (value: number) => value.toFixed(0);
const verdict = (value: number, target: number | undefined) =>
  target === undefined ? "" : value <= target ? ` (target ${target}: met)` : ` (target ${target}: NOT met)`;

/**
 * One row per database size: each process's resident memory when idle (RSS, with the proportional
 * share in brackets: pages shared by processes, the Node binary above all, counted once), the
 * total, the sum of each process's peak, how long the start took, and how long a one-site change
 * took to be served.
 */
export function formatFootprints(footprints: Footprint[]): string {
  const lines = [
    "| sites | launcher and proxy primary | dashboard | workers | total RSS (PSS) MB | peak RSS MB | start s | one-site change served after (median, worst) |",
    "| ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
  ];
  for (const { sites, startMs, processes, apply } of footprints) {
    const of = (role: string) => processes.filter((each) => each.role === role);
    const cell = (role: string) =>
      of(role)
        .map((each) => `${mb(each.rssMb)} (${mb(each.pssMb)})`)
        .join(" + ") || "-";
    const rss = processes.reduce((total, each) => total + each.rssMb, 0);
    const pss = processes.reduce((total, each) => total + each.pssMb, 0);
    const peak = processes.reduce((total, each) => total + each.peakMb, 0);
    lines.push(
      `| ${sites} | ${cell("launcher")} | ${cell("dashboard")} | ${cell("proxy-worker")} | ` +
        `${mb(rss)} (${mb(pss)})${verdict(rss, MEMORY_TARGET_MB[sites])} | ${mb(peak)} | ${(startMs / 1000).toFixed(1)} | ` +
        // "Live within": every change, so the worst one is judged.
        `${apply.medianMs.toFixed(0)} ms, ${apply.worstMs.toFixed(0)} ms${verdict(apply.worstMs, APPLY_TARGET_MS[sites])} |`,
    );
  }
  return lines.join("\n");
}
