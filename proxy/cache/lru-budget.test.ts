import { describe, expect, it } from "vitest";
import { LruBudget } from "./lru-budget";

const item = (size: number) => ({ size });

describe("LruBudget", () => {
  it("evicts the least recently used entries until the new one fits", () => {
    const evicted: string[] = [];
    const lru = new LruBudget<{ size: number }>(100, (key) => evicted.push(key));
    lru.set("a", item(40));
    lru.set("b", item(40));
    lru.get("a");
    lru.set("c", item(40));
    expect(evicted).toEqual(["b"]);
    expect(lru.get("b")).toBeUndefined();
    expect(lru.bytes).toBe(80);
    lru.set("d", item(100));
    expect(evicted).toEqual(["b", "a", "c"]);
    expect(lru.count).toBe(1);
  });

  it("refuses an entry larger than the budget and keeps the rest", () => {
    const lru = new LruBudget<{ size: number }>(100);
    lru.set("a", item(10));
    expect(lru.set("huge", item(101))).toBe(false);
    expect(lru.get("a")).toEqual(item(10));
    expect(lru.bytes).toBe(10);
  });

  it("replacing an entry counts only its new size; deleting frees it", () => {
    const lru = new LruBudget<{ size: number }>(100);
    lru.set("a", item(60));
    lru.set("a", item(30));
    expect(lru.bytes).toBe(30);
    lru.delete("a");
    expect(lru.bytes).toBe(0);
    expect(lru.count).toBe(0);
  });

  it("deletes by key test and shrinks to a smaller budget", () => {
    const lru = new LruBudget<{ size: number }>(100);
    for (const key of ["/a/1", "/a/2", "/b/1"]) lru.set(key, item(30));
    expect(lru.deleteWhere((key) => key.startsWith("/a/"))).toBe(2);
    lru.set("/c", item(30));
    lru.resize(40);
    expect(lru.get("/b/1")).toBeUndefined();
    expect(lru.bytes).toBe(30);
  });
});
