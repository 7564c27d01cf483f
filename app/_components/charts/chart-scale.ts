/** Scales, ticks and formatting shared by the charts. Plain numbers in, plain strings out. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A round upper bound (1, 2 or 5 times a power of ten) at or above the largest value; 1 when all are 0. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * power >= max) return factor * power;
  }
  return 10 * power;
}

/** Gridline values from 0 to a round bound, at round steps (a bound of 20 gives 0, 5, 10, 15, 20). */
export function valueTicks(max: number): number[] {
  const mantissa = max / 10 ** Math.floor(Math.log10(max));
  const divisions = Math.abs(mantissa - 2) < 1e-9 ? 4 : 5;
  return Array.from({ length: divisions + 1 }, (_, index) => (max * index) / divisions);
}

/** A value axis: its round top and the gridlines under it. */
export interface ValueScale {
  max: number;
  ticks: number[];
}

/** The value axis for plain numbers, milliseconds, rates: round in tens. */
export function valueScale(largest: number): ValueScale {
  const max = niceMax(largest);
  return { max, ticks: valueTicks(max) };
}

/**
 * The value axis for bytes: round in the binary unit the values are shown in (1.5 KB of data gets
 * a 2 KB axis with gridlines at 0.5 KB, not 2000 B at 400 B).
 */
export function bytesScale(largest: number): ValueScale {
  const unit = largest > 0 ? 1024 ** Math.min(BYTE_UNITS.length - 1, Math.max(0, Math.floor(Math.log(largest) / Math.log(1024)))) : 1;
  const { max, ticks } = valueScale(largest / unit);
  return { max: max * unit, ticks: ticks.map((tick) => tick * unit) };
}

/** The steps a time axis may use; each divides a day (or is whole days), so ticks sit on the clock. */
export const TIME_STEPS_MS = [1, 2, 5, 10, 15, 30]
  .map((minutes) => minutes * MINUTE)
  .concat(
    [1, 2, 3, 6, 12].map((hours) => hours * HOUR),
    [DAY, 2 * DAY, 7 * DAY],
  );

export interface TimeTick {
  at: number;
  label: string;
}

/**
 * Round tick times between `from` and `to` (ms, inclusive), at most `maxTicks` of them, on the
 * local clock: the smallest step of TIME_STEPS_MS that fits, aligned to it (10-minute ticks at
 * :00, :10, ...; 6-hour ticks at 00:00, 06:00, ...; weekly ticks on Mondays). A tick at midnight
 * is labelled with its date, so a range that crosses midnight says which day is which.
 */
export function timeTicks(from: number, to: number, maxTicks = 8): TimeTick[] {
  if (!(to > from)) return [];
  const span = to - from;
  const fits = (step: number) => Math.floor(span / step) + 1 <= maxTicks;
  const step = TIME_STEPS_MS.find(fits) ?? Math.ceil(span / ((maxTicks - 1) * 7 * DAY)) * 7 * DAY;
  const ticks: TimeTick[] = [];
  for (let at = firstTick(from, step); at <= to; at = nextTick(at, step)) {
    const date = new Date(at);
    const midnight = date.getHours() === 0 && date.getMinutes() === 0;
    ticks.push({ at, label: step >= DAY || midnight ? formatDay(date) : formatClock(date) });
  }
  return ticks;
}

/** Where the points of a series span: from the first one's start to the last one's end (ms). */
export function timeDomain(times: readonly number[], stepMs: number): { from: number; to: number } {
  const from = times[0] ?? 0;
  return { from, to: (times.at(-1) ?? from) + stepMs };
}

/** Where `at` lies across a time domain, 0 (left) to 1 (right). */
export const xFraction = (at: number, domain: { from: number; to: number }): number => (at - domain.from) / Math.max(1, domain.to - domain.from);

/** The first tick time at or after `from` for `step`, on the local clock. */
function firstTick(from: number, step: number): number {
  const date = new Date(from);
  if (step < HOUR) {
    const minutes = step / MINUTE;
    date.setSeconds(0, 0);
    date.setMinutes(Math.floor(date.getMinutes() / minutes) * minutes);
  } else if (step < DAY) {
    const hours = step / HOUR;
    date.setMinutes(0, 0, 0);
    date.setHours(Math.floor(date.getHours() / hours) * hours);
  } else {
    date.setHours(0, 0, 0, 0);
    // Two-day ticks fall on even day numbers; weekly ones on Mondays.
    if (step === 2 * DAY) date.setDate(date.getDate() - (Math.floor(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY) % 2));
    else if (step > DAY) date.setDate(date.getDate() - ((date.getDay() + 6) % 7));
  }
  let at = date.getTime();
  while (at < from) at = nextTick(at, step);
  return at;
}

/** The tick after `at`: by the local clock, so that a daylight-saving change does not shift the ticks. */
function nextTick(at: number, step: number): number {
  const date = new Date(at);
  if (step < HOUR) date.setMinutes(date.getMinutes() + step / MINUTE);
  else if (step < DAY) date.setHours(date.getHours() + step / HOUR);
  else date.setDate(date.getDate() + step / DAY);
  // A clock that skips back (end of daylight saving) must still move forward.
  return date.getTime() > at ? date.getTime() : at + step;
}

/**
 * What the readout says a data point covers: "14:09" for a one-minute point, "14:15–14:30" for a
 * longer one, with the date in front ("8 Dec 14:00–15:00") when the chart spans more than a day.
 */
export function pointTimeLabel(start: number, stepMs: number, withDate: boolean): string {
  const from = new Date(start);
  const to = new Date(start + stepMs);
  if (stepMs >= DAY) return formatDay(from);
  const day = withDate ? `${formatDay(from)} ` : "";
  if (stepMs <= MINUTE) return `${day}${formatClock(from)}`;
  return `${day}${formatClock(from)}–${formatClock(to)}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (value: number) => String(value).padStart(2, "0");
/** "14:05", on the local clock. */
export const formatClock = (date: Date): string => `${pad(date.getHours())}:${pad(date.getMinutes())}`;
/** "8 Dec". */
export const formatDay = (date: Date): string => `${date.getDate()} ${MONTHS[date.getMonth()]}`;

export const sum = (values: readonly (number | null)[]): number => values.reduce<number>((total, value) => total + (value ?? 0), 0);
export const maxOf = (values: readonly (number | null)[]): number => values.reduce<number>((max, value) => Math.max(max, value ?? 0), 0);

/** 1234 -> "1.2k", 0.5 -> "0.5". */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${trim(value / 1_000_000)}M`;
  if (abs >= 1_000) return `${trim(value / 1_000)}k`;
  return trim(value);
}

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** 1536 -> "1.5 KB" (binary units). */
export function formatBytes(value: number): string {
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${trim(scaled)} ${BYTE_UNITS[unit]}`;
}

export const formatMs = (value: number): string => `${trim(value)} ms`;

/** Requests per minute with the unit: "12 req/min". */
export const formatRequestRate = (value: number): string => `${formatNumber(value)} req/min`;

/** A count of responses with the unit: "1 response", "1.2k responses". */
export const formatResponses = (value: number): string => `${formatNumber(value)} ${value === 1 ? "response" : "responses"}`;

function trim(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  // Two decimals below 1, so that gridlines at 0.05 apart stay apart; trailing zeros dropped.
  const fixed = value.toFixed(abs < 1 ? 2 : abs < 10 ? 1 : 0);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
