import { ChartFrame, ChartLegend, type ChartGeometry } from "./chart-frame";
import { maxOf, sum, type ValueScale, valueScale } from "./chart-scale";

export interface LineSeries {
  name: string;
  label: string;
  /** A CSS colour from the palette variables, e.g. "var(--color-chart-indigo)" (see globals.css), so themes apply. */
  color: string;
  /** One value per point; null leaves a gap. */
  values: readonly (number | null)[];
  /** Overrides the data-total attribute (e.g. requests in the range when the values are rates). */
  total?: number;
}

/**
 * Lines over time. Each series' path carries data-series and either data-total (sum of its values)
 * or data-max (largest value), so tests can assert on what was drawn.
 */
export function LineChart({
  testId,
  title,
  times,
  stepMs,
  series,
  formatValue,
  formatTick,
  formatTotal = formatValue,
  scaleFor = valueScale,
  summary = "total",
}: {
  testId: string;
  title: string;
  /** The start of each point (ms), oldest first. */
  times: readonly number[];
  stepMs: number;
  series: readonly LineSeries[];
  /** A value with its unit ("12 ms"). */
  formatValue: (value: number) => string;
  formatTick?: (value: number) => string;
  /** A series' total in the legend ("1,234 requests"); defaults to formatValue. */
  formatTotal?: (total: number) => string;
  /** The value axis for the largest value (valueScale, or bytesScale for bytes). */
  scaleFor?: (largest: number) => ValueScale;
  summary?: "total" | "max";
}) {
  const scale = scaleFor(Math.max(0, ...series.map((line) => maxOf(line.values))));
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
        draw={(geometry) =>
          series.map((line) => {
            const value = summary === "max" ? maxOf(line.values) : (line.total ?? sum(line.values));
            const attributes = summary === "max" ? { "data-max": value } : { "data-total": value };
            return (
              <path
                key={line.name}
                data-series={line.name}
                {...attributes}
                d={linePath(line.values, geometry)}
                fill="none"
                stroke={line.color}
                strokeWidth={2}
                strokeLinejoin="round"
                strokeLinecap="round"
                vectorEffect="non-scaling-stroke"
              />
            );
          })
        }
      />
      <ChartLegend
        items={series.map((line) => ({
          name: line.name,
          label: line.label,
          color: line.color,
          summary: summary === "max" ? `max ${formatValue(maxOf(line.values))}` : formatTotal(line.total ?? sum(line.values)),
        }))}
      />
    </figure>
  );
}

/** An SVG path through the values, broken at nulls; a lone point becomes a short dash so it shows. */
function linePath(values: readonly (number | null)[], geometry: ChartGeometry): string {
  const parts: string[] = [];
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = geometry.x(index);
    const y = geometry.y(value).toFixed(2);
    const nextMissing = values[index + 1] === null || index === values.length - 1;
    if (!drawing && nextMissing) parts.push(`M${(x - geometry.step / 4).toFixed(1)} ${y}h${(geometry.step / 2).toFixed(1)}`);
    else parts.push(`${drawing ? "L" : "M"}${x.toFixed(1)} ${y}`);
    drawing = true;
  });
  return parts.join("");
}
