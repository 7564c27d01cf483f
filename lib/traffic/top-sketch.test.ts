import { describe, expect, it } from "vitest";
import { largest, TopSketch } from "./top-sketch";

/** A seeded generator (mulberry32): the same "random" streams on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function exactCounts(stream: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of stream) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/**
 * Every guarantee of the sketch, checked against the true counts of what went in. `levels` is how
 * many sketches a count passed through: each can add up to N / k of error.
 */
function expectGuarantees(sketch: TopSketch, truth: Map<string, number>, levels = 1): void {
  const total = [...truth.values()].reduce((sum, count) => sum + count, 0);
  const entries = sketch.entries();
  expect(sketch.size).toBeLessThanOrEqual(sketch.capacity);
  expect(sketch.total).toBe(total);
  expect(entries.reduce((sum, entry) => sum + entry.count, 0)).toBe(total);
  for (const { key, count, error } of entries) {
    const real = truth.get(key) ?? 0;
    expect(count).toBeGreaterThanOrEqual(real);
    expect(count - error).toBeLessThanOrEqual(real);
    expect(error).toBeLessThanOrEqual((levels * total) / sketch.capacity);
  }
  const held = new Set(entries.map((entry) => entry.key));
  for (const [key, count] of truth) if (count > total / sketch.capacity) expect(held.has(key)).toBe(true);
}

/** `heavy` keys with the given counts, shuffled into `noise` one-off keys. */
function streamWith(random: () => number, heavy: Record<string, number>, noise: number): string[] {
  const stream: string[] = [];
  for (const [key, count] of Object.entries(heavy)) for (let i = 0; i < count; i++) stream.push(key);
  for (let i = 0; i < noise; i++) stream.push(`/noise/${Math.floor(random() * 1e12).toString(36)}`);
  for (let i = stream.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [stream[i], stream[j]] = [stream[j]!, stream[i]!];
  }
  return stream;
}

describe("TopSketch", () => {
  it("counts exactly while there are no more distinct keys than its capacity", () => {
    const random = seeded(1);
    const keys = Array.from({ length: 64 }, (_, i) => `/page/${i}`);
    const stream = Array.from({ length: 20_000 }, () => keys[Math.floor(random() ** 3 * keys.length)]!);
    const sketch = new TopSketch(64);
    for (const key of stream) sketch.add(key);
    const truth = exactCounts(stream);
    expect(sketch.toRecord()).toEqual(Object.fromEntries(truth));
    expect(sketch.entries().every((entry) => entry.error === 0)).toBe(true);
    // Largest first, ties by key.
    const record = sketch.toRecord(3);
    expect(Object.entries(record)).toEqual(largest(truth, 3));
    expect(Object.values(record)).toEqual([...truth.values()].sort((a, b) => b - a).slice(0, 3));
  });

  it("always finds the heavy hitters among many random keys, within the documented bounds", () => {
    const random = seeded(2);
    const heavy = { "/hot": 5_000, "/warm": 2_500, "/api/login": 1_800 };
    const stream = streamWith(random, heavy, 90_700); // 100,000 in all; N/k = 1562.5
    const sketch = new TopSketch(64);
    for (const key of stream) sketch.add(key);
    const truth = exactCounts(stream);
    expectGuarantees(sketch, truth);
    const record = sketch.toRecord();
    expect(Object.keys(record).slice(0, 3)).toEqual(["/hot", "/warm", "/api/login"]);
    for (const [key, count] of Object.entries(heavy)) {
      expect(record[key]).toBeLessThanOrEqual(count);
      expect(record[key]).toBeGreaterThanOrEqual(count - 100_000 / 64);
    }
    // One-off keys never show as more than they were.
    for (const [key, count] of Object.entries(record)) expect(count).toBeLessThanOrEqual(truth.get(key)!);
  });

  it("never holds more keys than its capacity, however many distinct keys arrive", () => {
    const random = seeded(3);
    const sketch = new TopSketch(64);
    for (let i = 0; i < 50_000; i++) {
      sketch.add(`/r/${Math.floor(random() * 1e12).toString(36)}`);
      if (sketch.size > 64) throw new Error(`size ${sketch.size} after ${i + 1} keys`);
    }
    expect(sketch.size).toBe(64);
    expect(sketch.total).toBe(50_000);
    expect(Object.keys(sketch.toRecord()).length).toBeLessThanOrEqual(64);
  });

  it("merges two sketches exactly while the union fits, and within the bounds when it does not", () => {
    const a = new TopSketch(8);
    const b = new TopSketch(8);
    for (const key of ["/a", "/a", "/b", "/c"]) a.add(key);
    for (const key of ["/a", "/c", "/c", "/d"]) b.add(key);
    a.merge(b);
    expect(a.toRecord()).toEqual({ "/a": 3, "/c": 3, "/b": 1, "/d": 1 });
    expect(b.toRecord()).toEqual({ "/c": 2, "/a": 1, "/d": 1 }); // the merged-in sketch is unchanged

    // Two workers each saw part of the same heavy keys, drowned in noise of their own.
    const random = seeded(4);
    const first = streamWith(random, { "/hot": 3_000, "/warm": 1_000 }, 30_000);
    const second = streamWith(random, { "/hot": 2_000, "/warm": 1_500 }, 40_000);
    const left = new TopSketch(64);
    const right = new TopSketch(64);
    for (const key of first) left.add(key);
    for (const key of second) right.add(key);
    const merged = new TopSketch(64);
    merged.merge(left);
    merged.merge(right);
    expectGuarantees(merged, exactCounts([...first, ...second]), 2);
    const record = merged.toRecord();
    expect(Object.keys(record).slice(0, 2)).toEqual(["/hot", "/warm"]);
    expect(record["/hot"]).toBeLessThanOrEqual(5_000);
    expect(record["/hot"]).toBeGreaterThanOrEqual(5_000 - (2 * 77_500) / 64);
  });

  it("adds weighted tables and keeps any key, '__proto__' included, as a plain key", () => {
    const sketch = new TopSketch(4);
    sketch.addRecord({ "/a": 5, "/b": 2 });
    sketch.addRecord(JSON.parse('{"__proto__": 7, "/a": 1, "/zero": 0}') as Record<string, number>);
    const record = sketch.toRecord();
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.entries(record)).toEqual([
      ["__proto__", 7],
      ["/a", 6],
      ["/b", 2],
    ]);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new TopSketch(0)).toThrow(RangeError);
    expect(() => new TopSketch(2.5)).toThrow(RangeError);
  });
});
