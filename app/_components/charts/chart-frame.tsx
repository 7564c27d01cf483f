import type { ReactNode } from "react";
import { CHART_HEIGHT, CHART_WIDTH, PAD, PLOT_WIDTH, tickIndexes, valueTicks, xAt, yAt } from "./chart-scale";

export interface LegendItem {
  name: string;
  label: string;
  color: string;
  /** Shown after the label, e.g. the series' total. */
  summary?: string;
}

/** The axes, grid and labels around a plot; the series are its children. */
export function ChartFrame({
  title,
  max,
  xLabels,
  formatValue,
  children,
}: {
  title: string;
  max: number;
  xLabels: readonly string[];
  formatValue: (value: number) => string;
  children: ReactNode;
}) {
  const yTicks = valueTicks(max);
  const bottom = CHART_HEIGHT - PAD.bottom;
  return (
    <svg viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} role="img" aria-label={title} className="h-auto w-full text-slate-500">
      {yTicks.map((tick) => (
        <g key={tick}>
          <line x1={PAD.left} x2={PAD.left + PLOT_WIDTH} y1={yAt(tick, max)} y2={yAt(tick, max)} stroke="var(--color-chart-grid)" strokeWidth={1} />
          <text x={PAD.left - 6} y={yAt(tick, max)} textAnchor="end" dominantBaseline="middle" fontSize={12} fill="currentColor">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      <line x1={PAD.left} x2={PAD.left + PLOT_WIDTH} y1={bottom} y2={bottom} stroke="var(--color-chart-axis)" strokeWidth={1} />
      {tickIndexes(xLabels.length).map((index, position, all) => (
        <text
          key={index}
          x={xAt(index, xLabels.length)}
          y={bottom + 18}
          fontSize={12}
          fill="currentColor"
          textAnchor={position === 0 ? "start" : position === all.length - 1 ? "end" : "middle"}
        >
          {xLabels[index]}
        </text>
      ))}
      {children}
    </svg>
  );
}

export function ChartLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
      {items.map((item) => (
        <li key={item.name} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ backgroundColor: item.color }} />
          <span>{item.label}</span>
          {item.summary ? <span className="font-medium text-slate-900 tabular-nums">{item.summary}</span> : null}
        </li>
      ))}
    </ul>
  );
}
