import { ChartFrame, ChartLegend } from "./chart-frame";
import { sum, valueScale } from "./chart-scale";

export interface BarSeries {
  name: string;
  label: string;
  /** A CSS colour from the palette variables, e.g. "var(--color-chart-green)" (see globals.css), so themes apply. */
  color: string;
  /** One value per point, stacked in the order given (first at the bottom). */
  values: readonly number[];
}

/** Stacked bars over time; each series is a <g data-series data-total> of rects. */
export function StackedBars({
  testId,
  title,
  times,
  stepMs,
  series,
  formatValue,
  formatTick,
}: {
  testId: string;
  title: string;
  /** The start of each point (ms), oldest first. */
  times: readonly number[];
  stepMs: number;
  series: readonly BarSeries[];
  formatValue: (value: number) => string;
  formatTick?: (value: number) => string;
}) {
  const stackTotals = times.map((_, index) => series.reduce((total, bar) => total + (bar.values[index] ?? 0), 0));
  const scale = valueScale(Math.max(0, ...stackTotals));
  const below = new Array<number>(times.length).fill(0);
  return (
    <figure data-testid={testId}>
      <ChartFrame
        title={title}
        times={times}
        stepMs={stepMs}
        scale={scale}
        series={series}
        formatValue={formatValue}
        formatTick={formatTick}
        stacked
        draw={(geometry) => {
          const barWidth = geometry.step * 0.8;
          return series.map((bar) => (
            <g key={bar.name} data-series={bar.name} data-total={sum(bar.values)} fill={bar.color}>
              {bar.values.map((value, index) => {
                const base = below[index] ?? 0;
                below[index] = base + value;
                if (!(value > 0)) return null;
                const top = geometry.y(base + value);
                return <rect key={times[index]} x={geometry.x(index) - barWidth / 2} y={top} width={barWidth} height={geometry.y(base) - top} />;
              })}
            </g>
          ));
        }}
      />
      <ChartLegend items={series.map((bar) => ({ name: bar.name, label: bar.label, color: bar.color, summary: formatValue(sum(bar.values)) }))} />
    </figure>
  );
}
