/** Geometry and formatting shared by the inline-SVG charts. Plain numbers in, plain strings out. */

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 220;
export const PAD = { left: 60, right: 12, top: 12, bottom: 28 } as const;
export const PLOT_WIDTH = CHART_WIDTH - PAD.left - PAD.right;
export const PLOT_HEIGHT = CHART_HEIGHT - PAD.top - PAD.bottom;

/** A round upper bound (1, 2 or 5 times a power of ten) at or above the largest value; 1 when all are 0. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * power >= max) return factor * power;
  }
  return 10 * power;
}

/** Gridline values from 0 to a niceMax() bound, at round steps (a bound of 20 gives 0, 5, 10, 15, 20). */
export function valueTicks(max: number): number[] {
  const mantissa = max / 10 ** Math.floor(Math.log10(max));
  const divisions = Math.abs(mantissa - 2) < 1e-9 ? 4 : 5;
  return Array.from({ length: divisions + 1 }, (_, index) => (max * index) / divisions);
}

/** The x position of the centre of point `index` of `count`. */
export function xAt(index: number, count: number): number {
  return PAD.left + ((index + 0.5) * PLOT_WIDTH) / Math.max(1, count);
}

/** The y position of `value` on a scale from 0 to `max`. */
export function yAt(value: number, max: number): number {
  return PAD.top + PLOT_HEIGHT - (Math.max(0, value) / max) * PLOT_HEIGHT;
}

/** About `wanted` evenly spaced indexes of `count` points, always including the first and the last. */
export function tickIndexes(count: number, wanted = 6): number[] {
  if (count <= 0) return [];
  if (count <= wanted) return Array.from({ length: count }, (_, index) => index);
  const step = (count - 1) / (wanted - 1);
  return Array.from({ length: wanted }, (_, index) => Math.round(index * step));
}

export const sum = (values: readonly (number | null)[]): number => values.reduce<number>((total, value) => total + (value ?? 0), 0);
export const maxOf = (values: readonly (number | null)[]): number => values.reduce<number>((max, value) => Math.max(max, value ?? 0), 0);

/** 1234 -> "1.2k", 0.5 -> "0.5". */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${trim(value / 1_000_000)}M`;
  if (abs >= 1_000) return `${trim(value / 1_000)}k`;
  return trim(value);
}

/** 1536 -> "1.5 KB" (binary units). */
export function formatBytes(value: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${trim(scaled)} ${units[unit]}`;
}

export const formatMs = (value: number): string => `${trim(value)} ms`;

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 10 ? 1 : 0).replace(/\.0$/, "");
}
