"use client";

import { type KeyboardEvent, type PointerEvent, type ReactNode, useState } from "react";

/** What the readout says at one data point; strings are made on the server (its clock and units). */
export interface HoverPoint {
  /** Where the point is across the plot, 0 (left) to 1 (right). */
  x: number;
  /** The time the point covers, e.g. "14:09" or "14:15–14:30". */
  time: string;
  values: readonly { name: string; label: string; color: string; text: string; y: number | null }[];
}

/**
 * Makes a plot readable: pointer hover, a tap, or the arrow keys pick a data point; a crosshair marks
 * it and the readout above the plot gives its time and every series' value with its unit. For
 * assistive technology the plot is a slider over time whose value text is that same readout.
 */
export function ChartHover({
  title,
  points,
  yAxis,
  xAxis,
  children,
}: {
  title: string;
  points: readonly HoverPoint[];
  /** The value labels left of the plot, and the time labels under it. */
  yAxis: ReactNode;
  xAxis: ReactNode;
  /** The plot itself (an SVG filling the box). */
  children: ReactNode;
}) {
  const [index, setIndex] = useState<number | null>(null);
  const last = points.length - 1;
  const point = index === null ? null : points[index];

  const pick = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width > 0) setIndex(nearest(points, (event.clientX - box.left) / box.width));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = index ?? last;
    const next = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last }[event.key];
    if (event.key === "Escape") setIndex(null);
    if (next === undefined) return;
    event.preventDefault();
    setIndex(Math.max(0, Math.min(last, next)));
  };

  return (
    // Clipped sideways: a marker on the last point must not widen the page on a phone.
    <div className="overflow-x-clip">
      <p
        data-testid="chart-readout"
        aria-hidden="true"
        className="mb-2 flex min-h-10 flex-wrap content-start items-baseline gap-x-3 text-xs leading-5"
      >
        {point ? (
          <>
            <time className="font-medium text-slate-900 tabular-nums">{point.time}</time>
            {point.values.map((value) => (
              <span key={value.name} className="inline-flex items-baseline gap-1 whitespace-nowrap">
                <span aria-hidden className="inline-block size-2 rounded-sm" style={{ backgroundColor: value.color }} />
                <span className="text-slate-600">{value.label}</span>
                <span data-readout-series={value.name} className="font-medium text-slate-900 tabular-nums">
                  {value.text}
                </span>
              </span>
            ))}
          </>
        ) : (
          <span className="text-slate-500">Hover or tap the chart (or use the arrow keys) for values.</span>
        )}
      </p>
      <div className="flex h-44">
        {yAxis}
        <div
          role="slider"
          tabIndex={0}
          aria-label={`${title}, by time`}
          aria-valuemin={0}
          aria-valuemax={Math.max(0, last)}
          aria-valuenow={index ?? last}
          aria-valuetext={readoutText(point ?? points[last])}
          data-testid="chart-plot"
          className="relative min-w-0 flex-1 cursor-crosshair touch-pan-y rounded-sm focus-visible:outline-offset-4"
          onPointerMove={pick}
          onPointerDown={pick}
          onPointerLeave={(event) => {
            // A tap keeps its readout after the finger lifts; a mouse that leaves clears it.
            if (event.pointerType === "mouse") setIndex(null);
          }}
          onFocus={() => setIndex((current) => current ?? last)}
          onBlur={() => setIndex(null)}
          onKeyDown={onKeyDown}
        >
          {children}
          {point ? (
            <div aria-hidden className="pointer-events-none absolute inset-y-0" style={{ left: `${point.x * 100}%` }}>
              <div data-testid="chart-crosshair" className="absolute inset-y-0 -left-px w-0.5 bg-slate-400/70" />
              {point.values.map((value) =>
                value.y === null ? null : (
                  <span
                    key={value.name}
                    className="absolute size-2.5 -translate-x-1/2 translate-y-1/2 rounded-full ring-2 ring-slate-50"
                    style={{ bottom: `${value.y * 100}%`, backgroundColor: value.color }}
                  />
                ),
              )}
            </div>
          ) : null}
        </div>
      </div>
      {xAxis}
    </div>
  );
}

/** The index of the point nearest to `x` (0..1 across the plot). */
function nearest(points: readonly HoverPoint[], x: number): number | null {
  let best: number | null = null;
  points.forEach((point, index) => {
    if (best === null || Math.abs(point.x - x) < Math.abs(points[best]!.x - x)) best = index;
  });
  return best;
}

function readoutText(point: HoverPoint | undefined): string {
  if (!point) return "No data";
  return `${point.time}: ${point.values.map((value) => `${value.label} ${value.text}`).join(", ")}`;
}
