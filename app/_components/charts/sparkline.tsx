import { cn } from "@/app/_lib/cn";
import { formatNumber, maxOf, sum } from "./chart-scale";

const WIDTH = 120;
const HEIGHT = 28;
/** Room for the stroke, so that peaks and the zero line are not clipped. */
const INSET = 2;

/**
 * A tiny line with no axes (requests per minute on the site list): enough to see "busy", "quiet"
 * or "it just stopped" at a glance. The exact total is in the accessible label and the tooltip,
 * and in data-total for tests; the caption under the line gives it rounded. An empty window is a
 * flat grey line on the baseline, so every row keeps the same shape.
 */
export function Sparkline({
  values,
  label,
  emptyLabel,
  unit,
  color = "var(--color-chart-indigo)",
  className,
}: {
  /** Oldest first. */
  values: readonly number[];
  /** Prefix of the accessible label, e.g. "Requests in the last hour" (": 1,234" is added). */
  label: string;
  /** The whole label (and caption) when every value is 0, e.g. "No requests in the last hour". */
  emptyLabel: string;
  /** Shown after the rounded total under the line: "1 request / h", "1.2k requests / h". */
  unit: { one: string; other: string };
  color?: string;
  className?: string;
}) {
  const total = sum(values);
  const max = maxOf(values);
  const description = total > 0 ? `${label}: ${total.toLocaleString("en-US")}` : emptyLabel;
  const points = sparkPoints(values, max);
  const line = points.map(([x, y], index) => `${index === 0 ? "M" : "L"}${x} ${y}`).join("");
  // The line runs from edge to edge (sparkPoints), so the area closes along the baseline under it.
  const area = `${line}L${WIDTH - INSET} ${HEIGHT - INSET}L${INSET} ${HEIGHT - INSET}Z`;
  return (
    // One image with one label for assistive technology; the drawing and caption inside are its picture.
    <span
      data-testid="sparkline"
      data-total={total}
      data-max={max}
      data-points={values.length}
      role="img"
      aria-label={description}
      title={description}
      className={cn("inline-flex flex-col items-end gap-0.5", className)}
    >
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} aria-hidden="true" className="shrink-0">
        {total > 0 ? <path d={area} fill={color} fillOpacity={0.12} stroke="none" /> : null}
        <path
          d={line}
          fill="none"
          stroke={total > 0 ? color : "var(--color-chart-empty)"}
          strokeWidth={1.5}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      </svg>
      <span aria-hidden="true" className="text-xs leading-4 whitespace-nowrap text-slate-500 tabular-nums">
        {total > 0 ? `${formatNumber(total)} ${total === 1 ? unit.one : unit.other}` : emptyLabel}
      </span>
    </span>
  );
}

/**
 * One [x, y] per value across the full width; all zeros lie on the baseline. Fewer than two values
 * still give a line from edge to edge, so the shape never collapses to nothing.
 */
function sparkPoints(values: readonly number[], max: number): Array<[string, string]> {
  const shown = values.length >= 2 ? values : [values[0] ?? 0, values[0] ?? 0];
  const count = shown.length;
  const plotWidth = WIDTH - 2 * INSET;
  const plotHeight = HEIGHT - 2 * INSET;
  return shown.map((value, index) => {
    const x = INSET + (index * plotWidth) / (count - 1);
    const y = HEIGHT - INSET - (max > 0 ? (Math.max(0, value) / max) * plotHeight : 0);
    return [x.toFixed(1), y.toFixed(1)];
  });
}
