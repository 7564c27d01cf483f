import { describe, expect, it } from "vitest";
import { cachePurgeSchema } from "@/lib/schemas/cache-purge";
import { purgeInputOf, removedText } from "./cache-purge-form";

describe("the purge form", () => {
  it("sends only the chosen field, trimmed, and nothing for everything", () => {
    expect(purgeInputOf("all", "/static/", "/a.css")).toEqual({});
    expect(purgeInputOf("prefix", " /static/ ", "/a.css")).toEqual({ prefix: "/static/" });
    expect(purgeInputOf("url", "/static/", " /a.css\n")).toEqual({ url: "/a.css" });
    // What it sends is always one purge the schema reads (or names a field of).
    for (const scope of ["all", "prefix", "url"]) expect(cachePurgeSchema.safeParse(purgeInputOf(scope, "/s/", "/a")).success).toBe(true);
    expect(cachePurgeSchema.safeParse(purgeInputOf("prefix", "", "")).error?.issues[0]?.path).toEqual(["prefix"]);
  });

  it("counts in words", () => {
    expect(removedText(0)).toBe("Removed 0 stored answers.");
    expect(removedText(1)).toBe("Removed 1 stored answer.");
    expect(removedText(12)).toBe("Removed 12 stored answers.");
  });
});
