import { ChartFrame, ChartLegend } from "./chart-frame";
import { niceMax, PLOT_WIDTH, sum, xAt, yAt } from "./chart-scale";

export interface BarSeries {
  name: string;
  label: string;
  color: string;
  /** One value per point, stacked in the order given (first at the bottom). */
  values: readonly number[];
}

/** Stacked bars over shared x labels; each series is a <g data-series data-total> of rects. */
export function StackedBars({
  testId,
  title,
  xLabels,
  series,
  formatValue,
}: {
  testId: string;
  title: string;
  xLabels: readonly string[];
  series: readonly BarSeries[];
  formatValue: (value: number) => string;
}) {
  const count = xLabels.length;
  const stackTotals = xLabels.map((_, index) => series.reduce((total, bar) => total + (bar.values[index] ?? 0), 0));
  const max = niceMax(Math.max(0, ...stackTotals));
  const barWidth = Math.max(1, (PLOT_WIDTH / Math.max(1, count)) * 0.8);
  const below = new Array<number>(count).fill(0);
  return (
    <figure data-testid={testId}>
      <ChartFrame title={title} max={max} xLabels={xLabels} formatValue={formatValue}>
        {series.map((bar) => (
          <g key={bar.name} data-series={bar.name} data-total={sum(bar.values)} fill={bar.color}>
            {bar.values.map((value, index) => {
              const base = below[index] ?? 0;
              below[index] = base + value;
              if (!(value > 0)) return null;
              const top = yAt(base + value, max);
              return (
                <rect key={index} x={xAt(index, count) - barWidth / 2} y={top} width={barWidth} height={yAt(base, max) - top}>
                  <title>{`${xLabels[index]}: ${formatValue(value)} ${bar.label}`}</title>
                </rect>
              );
            })}
          </g>
        ))}
      </ChartFrame>
      <ChartLegend items={series.map((bar) => ({ name: bar.name, label: bar.label, color: bar.color, summary: formatValue(sum(bar.values)) }))} />
    </figure>
  );
}
