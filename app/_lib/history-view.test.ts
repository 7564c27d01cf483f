import { describe, expect, it } from "vitest";
import type { AuditChange } from "@/lib/schemas/audit";
import { historyQuery, historySearch, kindNoun, objectHref, objectName, valueText } from "./history-view";

const change = (over: Partial<AuditChange>): AuditChange => ({
  id: "c1",
  at: "2026-12-07T12:00:00.000Z",
  actor: "ann@example.com",
  action: "update",
  objectType: "site",
  objectId: "s1",
  diff: [],
  undoable: true,
  ...over,
});

describe("the history's words", () => {
  it("names an object as it is now, else as the change had it, else by id", () => {
    expect(objectName(change({}), new Map([["s1", "Shop"]]))).toBe("Shop");
    expect(objectName(change({ action: "delete", diff: [{ field: "name", before: "Blog", after: null }] }), new Map())).toBe("Blog");
    expect(objectName(change({}), new Map())).toBe("s1");
  });

  it("links to what exists and reads values plainly", () => {
    expect([kindNoun("accessList"), kindNoun("dnsProvider"), kindNoun("apiToken")]).toEqual(["access list", "DNS provider", "API token"]);
    expect(objectHref("site", "s1")).toBe("/sites/s1");
    expect(objectHref("apiToken", "t1")).toBeNull();
    expect(objectHref("settings", null)).toBe("/settings");
    expect(valueText(null)).toBe("(none)");
    expect(valueText(true)).toBe("on");
    expect(valueText(["a", "b"])).toBe("a, b");
    expect(valueText("x".repeat(200))).toBe("x".repeat(200));
    expect(valueText({ a: "y".repeat(200) })).toHaveLength(120);
  });

  it("reads filters from the query, a date as the whole day, and writes them back", () => {
    const { filters, query } = historyQuery({ kind: "site", who: "", from: "2026-12-01", to: "2026-12-07", page: "2" });
    expect(filters).toEqual({ kind: "site", who: "", from: "2026-12-01", to: "2026-12-07" });
    expect(query).toEqual({ objectType: "site", actor: undefined, from: "2026-12-01T00:00:00.000Z", to: "2026-12-07T23:59:59.999Z", limit: "1000" });
    expect(historySearch(filters, 2)).toBe("?kind=site&from=2026-12-01&to=2026-12-07&page=2");
    expect(historySearch({ kind: "" })).toBe("");
  });
});
