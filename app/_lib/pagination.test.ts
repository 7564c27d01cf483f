import { describe, expect, it } from "vitest";
import { pageOf } from "./pagination";

const items = Array.from({ length: 120 }, (_, index) => index);

describe("pageOf", () => {
  it.each([
    ["no page asked", undefined, 1, 0, 49],
    ["the second page", "2", 2, 50, 99],
    ["the last, shorter page", "3", 3, 100, 119],
    ["past the end: the last page", "99", 3, 100, 119],
    ["zero or negative: the first", "-4", 1, 0, 49],
    ["garbage: the first", "two", 1, 0, 49],
    ["repeated: the first", ["2", "3"], 1, 0, 49],
  ])("%s", (_name, requested, page, firstItem, lastItem) => {
    const result = pageOf(items, requested);
    expect(result.page).toBe(page);
    expect(result.pages).toBe(3);
    expect(result.items[0]).toBe(firstItem);
    expect(result.items.at(-1)).toBe(lastItem);
    expect([result.first, result.last]).toEqual([firstItem + 1, lastItem + 1]);
  });

  it("has one empty page when there is nothing", () => {
    expect(pageOf([], "2")).toEqual({ items: [], page: 1, pages: 1, first: 0, last: 0, total: 0 });
  });
});
