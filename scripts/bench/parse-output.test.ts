import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseH2load, parseWrk } from "./parse-output";

/** Outputs captured from wrk 4.1.0 and h2load 1.52.0 (Debian 12) against small local servers. */
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseWrk", () => {
  it("reads the rate and the 50% and 99% latencies of a clean keep-alive run", () => {
    expect(parseWrk(fixture("wrk-keep-alive.txt"))).toEqual({ perSecond: 17566.72, p50Ms: 2.86, p99Ms: 178.72, errors: 0 });
  });

  it("converts microsecond latencies to milliseconds", () => {
    const result = parseWrk(fixture("wrk-microseconds.txt"));
    expect(result.p50Ms).toBeCloseTo(0.097, 6);
    expect(result.p99Ms).toBe(7.98);
  });

  it("counts answers other than 2xx or 3xx as errors", () => {
    expect(parseWrk(fixture("wrk-close-errors.txt"))).toEqual({ perSecond: 5192.9, p50Ms: 10.51, p99Ms: 31.88, errors: 1053 });
  });

  it("counts socket errors of every kind", () => {
    expect(parseWrk(fixture("wrk-socket-errors.txt")).errors).toBe(134);
  });

  it("refuses output without a summary rather than reading it as zero", () => {
    expect(() => parseWrk("unable to connect to localhost:1 Connection refused\n")).toThrow(/Requests\/sec/);
  });
});

describe("parseH2load", () => {
  it("reads the rate and failures from the summary and the percentiles from the request log", () => {
    expect(parseH2load(fixture("h2load.txt"), fixture("h2load-requests.tsv"))).toEqual({
      perSecond: 509.5,
      p50Ms: 7.186,
      p99Ms: 13.927,
      errors: 44,
    });
  });

  it("refuses output without a summary", () => {
    expect(() => parseH2load("starting benchmark...\n", "")).toThrow(/no summary/);
  });
});
