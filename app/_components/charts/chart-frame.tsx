import type { ReactNode } from "react";
import { ChartHover, type HoverPoint } from "./chart-hover";
import { pointTimeLabel, type TimeTick, timeDomain, timeTicks, type ValueScale, xFraction } from "./chart-scale";

/** The plot's drawing box: x from 0 to PLOT_X across, y from 0 (top) to PLOT_Y; stretched to fit. */
export const PLOT_X = 1000;
export const PLOT_Y = 100;

/** Ticks for a wide chart (a card of 450 px and more) and for a phone; the labels stay 12 px. */
const WIDE_TICKS = 8;
const NARROW_TICKS = 5;

export interface LegendItem {
  name: string;
  label: string;
  color: string;
  /** Shown after the label, e.g. the series' total. */
  summary?: string;
}

export interface FrameSeries {
  name: string;
  label: string;
  color: string;
  values: readonly (number | null)[];
}

export interface ChartGeometry {
  /** The x of the centre of point `index`, in PLOT_X units. */
  x: (index: number) => number;
  /** The y of `value`, in PLOT_Y units. */
  y: (value: number) => number;
  /** One point's width, in PLOT_X units. */
  step: number;
}

/**
 * A time chart's frame: value labels with units at round steps, round clock times under the plot,
 * the readout on hover, tap or arrow keys, and a visually hidden table of every value for screen
 * readers. `draw` gets the geometry and returns the series (SVG) in the stretched drawing box.
 */
export function ChartFrame({
  title,
  times,
  stepMs,
  scale,
  series,
  formatValue,
  formatTick = formatValue,
  stacked = false,
  draw,
}: {
  title: string;
  /** The start of each point (ms), oldest first. */
  times: readonly number[];
  stepMs: number;
  /** The value axis: its round top and gridlines. */
  scale: ValueScale;
  series: readonly FrameSeries[];
  /** A value with its unit, for the readout and the table ("12 req/min"). */
  formatValue: (value: number) => string;
  /** A gridline's label; defaults to formatValue. */
  formatTick?: (value: number) => string;
  /** Series stack on each other (the readout's markers sit on each one's top). */
  stacked?: boolean;
  draw: (geometry: ChartGeometry) => ReactNode;
}) {
  const { max, ticks: yTicks } = scale;
  const domain = timeDomain(times, stepMs);
  const withDate = domain.to - domain.from > 24 * 60 * 60 * 1000 || new Date(domain.from).getDate() !== new Date(domain.to - 1).getDate();
  const geometry: ChartGeometry = {
    x: (index) => xFraction((times[index] ?? domain.from) + stepMs / 2, domain) * PLOT_X,
    y: (value) => PLOT_Y - (Math.max(0, value) / max) * PLOT_Y,
    step: (stepMs / Math.max(1, domain.to - domain.from)) * PLOT_X,
  };
  const labels = times.map((time) => pointTimeLabel(time, stepMs, withDate));
  const points: HoverPoint[] = times.map((_, index) => {
    let below = 0;
    return {
      x: geometry.x(index) / PLOT_X,
      time: labels[index]!,
      values: series.map((line) => {
        const value = line.values[index] ?? null;
        const top = stacked ? (below += value ?? 0) : value;
        return {
          name: line.name,
          label: line.label,
          color: line.color,
          text: value === null ? "no data" : formatValue(value),
          y: top === null ? null : Math.min(1, top / max),
        };
      }),
    };
  });
  const wide = timeTicks(domain.from, domain.to, WIDE_TICKS);
  const narrow = timeTicks(domain.from, domain.to, NARROW_TICKS);

  return (
    <>
      <ChartHover
        title={title}
        points={points}
        yAxis={
          <div aria-hidden className="relative w-16 shrink-0 text-xs text-slate-600">
            {yTicks.map((tick) => (
              <span
                key={tick}
                className="absolute right-2 translate-y-1/2 whitespace-nowrap tabular-nums"
                style={{ bottom: `${(tick / max) * 100}%` }}
              >
                {formatTick(tick)}
              </span>
            ))}
          </div>
        }
        xAxis={
          <div aria-hidden className="relative mt-1.5 ml-16 h-5 text-xs text-slate-600">
            <TimeLabels ticks={wide} domain={domain} className="hidden sm:block" />
            <TimeLabels ticks={narrow} domain={domain} className="sm:hidden" />
          </div>
        }
      >
        <svg
          viewBox={`0 0 ${PLOT_X} ${PLOT_Y}`}
          preserveAspectRatio="none"
          aria-hidden="true"
          className="absolute inset-0 h-full w-full overflow-visible"
        >
          {yTicks.map((tick) => (
            <line
              key={tick}
              x1={0}
              x2={PLOT_X}
              y1={geometry.y(tick)}
              y2={geometry.y(tick)}
              vectorEffect="non-scaling-stroke"
              className={tick === 0 ? "stroke-slate-400" : "stroke-slate-200"}
            />
          ))}
          <TimeGrid ticks={wide} domain={domain} className="hidden sm:inline" />
          <TimeGrid ticks={narrow} domain={domain} className="sm:hidden" />
          {draw(geometry)}
        </svg>
      </ChartHover>
      {/* sr-only on the table itself does not hold: a table grows to its content and widens a phone's page. */}
      <div className="sr-only">
        <table data-testid="chart-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {series.map((line) => (
                <th key={line.name} scope="col">
                  {line.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((point, index) => (
              <tr key={times[index]}>
                <th scope="row">{point.time}</th>
                {point.values.map((value) => (
                  <td key={value.name}>{value.text}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TimeLabels({ ticks, domain, className }: { ticks: readonly TimeTick[]; domain: { from: number; to: number }; className: string }) {
  return (
    <div className={className}>
      {ticks.map((tick) => {
        // Shifting each label by its own position keeps the first and last inside the chart.
        const at = xFraction(tick.at, domain) * 100;
        return (
          <span
            key={tick.at}
            data-testid="chart-tick"
            className="absolute top-0 whitespace-nowrap tabular-nums"
            style={{ left: `${at}%`, transform: `translateX(-${at}%)` }}
          >
            {tick.label}
          </span>
        );
      })}
    </div>
  );
}

function TimeGrid({ ticks, domain, className }: { ticks: readonly TimeTick[]; domain: { from: number; to: number }; className: string }) {
  return (
    <g className={className}>
      {ticks.map((tick) => {
        const x = xFraction(tick.at, domain) * PLOT_X;
        return <line key={tick.at} x1={x} x2={x} y1={0} y2={PLOT_Y} vectorEffect="non-scaling-stroke" className="stroke-slate-100" />;
      })}
    </g>
  );
}

export function ChartLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
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
