import { percentile, type LoadResult } from "./load-result";

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const MICROSECONDS_PER_MS = 1000;

/** wrk's summary with `--latency`: Requests/sec, the latency distribution, socket errors, non-2xx/3xx. */
export function parseWrk(output: string): LoadResult {
  const requestsPerSecond = output.match(/^Requests\/sec:\s+([\d.]+)/m);
  if (!requestsPerSecond) throw new Error(`wrk printed no Requests/sec line:\n${output}`);
  const latency = (label: string) => {
    const match = output.match(new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m"));
    return match ? Number(match[1]) * MS_PER_UNIT[match[2]!]! : NaN;
  };
  const non2xx = Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrorCount = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    perSecond: Number(requestsPerSecond[1]),
    p50Ms: latency("50%"),
    p99Ms: latency("99%"),
    errors: non2xx + socketErrorCount,
  };
}

/**
 * h2load's summary (req/s and the failed count, which includes non-2xx/3xx answers and resets)
 * and its `--log-file` (one line per request: start time, status, duration in microseconds),
 * from which the percentiles come: the summary has only mean and deviation.
 */
export function parseH2load(output: string, requestLog: string): LoadResult {
  const finished = output.match(/^finished in [\d.]+\w*, ([\d.]+) req\/s/m);
  const requests = output.match(/^requests: \d+ total, \d+ started, \d+ done, \d+ succeeded, (\d+) failed/m);
  if (!finished || !requests) throw new Error(`h2load printed no summary:\n${output}`);
  const durations = requestLog
    .split("\n")
    .map((line) => line.split("\t"))
    .filter((columns) => columns.length >= 3)
    .map((columns) => Number(columns[2]) / MICROSECONDS_PER_MS)
    .sort((a, b) => a - b);
  return {
    perSecond: Number(finished[1]),
    p50Ms: percentile(durations, 0.5),
    p99Ms: percentile(durations, 0.99),
    errors: Number(requests[1]),
  };
}
