import { ChartFrame, ChartLegend } from "./chart-frame";
import { maxOf, niceMax, sum, xAt, yAt } from "./chart-scale";

export interface LineSeries {
  name: string;
  label: string;
  color: string;
  /** One value per point; null leaves a gap. */
  values: readonly (number | null)[];
  /** Overrides the data-total attribute (e.g. requests in the range when the values are rates). */
  total?: number;
}

/**
 * Lines over shared x labels. Each series' path carries data-series and either data-total (sum of
 * its values) or data-max (largest value), so tests can assert on what was drawn.
 */
export function LineChart({
  testId,
  title,
  xLabels,
  series,
  formatValue,
  summary = "total",
}: {
  testId: string;
  title: string;
  xLabels: readonly string[];
  series: readonly LineSeries[];
  formatValue: (value: number) => string;
  summary?: "total" | "max";
}) {
  const max = niceMax(Math.max(0, ...series.map((line) => maxOf(line.values))));
  const count = xLabels.length;
  return (
    <figure data-testid={testId}>
      <ChartFrame title={title} max={max} xLabels={xLabels} formatValue={formatValue}>
        {series.map((line) => {
          const value = summary === "max" ? maxOf(line.values) : (line.total ?? sum(line.values));
          const attributes = summary === "max" ? { "data-max": value } : { "data-total": value };
          return (
            <path
              key={line.name}
              data-series={line.name}
              {...attributes}
              d={linePath(line.values, count, max)}
              fill="none"
              stroke={line.color}
              strokeWidth={1.75}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
          );
        })}
      </ChartFrame>
      <ChartLegend
        items={series.map((line) => ({
          name: line.name,
          label: line.label,
          color: line.color,
          summary: summary === "max" ? `max ${formatValue(maxOf(line.values))}` : formatValue(line.total ?? sum(line.values)),
        }))}
      />
    </figure>
  );
}

/** An SVG path through the values, broken at nulls; a lone point becomes a short dash so it shows. */
function linePath(values: readonly (number | null)[], count: number, max: number): string {
  const parts: string[] = [];
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = xAt(index, count).toFixed(1);
    const y = yAt(value, max).toFixed(1);
    const nextMissing = values[index + 1] === null || index === values.length - 1;
    if (!drawing && nextMissing) parts.push(`M${Number(x) - 1.5} ${y}h3`);
    else parts.push(`${drawing ? "L" : "M"}${x} ${y}`);
    drawing = true;
  });
  return parts.join("");
}
