import { describe, expect, it } from "vitest";
import { SITE_TABS, siteTabOf, tabAfterKey } from "./site-tabs";

describe("siteTabOf", () => {
  it("reads a known tab from the URL, in any case", () => {
    expect(siteTabOf("https")).toBe("https");
    expect(siteTabOf("Protection")).toBe("protection");
  });

  it("opens Details for a missing, unknown or repeated value", () => {
    expect(siteTabOf(undefined)).toBe("details");
    expect(siteTabOf(null)).toBe("details");
    expect(siteTabOf("ssl")).toBe("details");
    expect(siteTabOf(["https", "advanced"])).toBe("details");
  });
});

describe("tabAfterKey", () => {
  it("moves with the arrows and wraps round at both ends", () => {
    expect(tabAfterKey("details", "ArrowRight")).toBe("upstreams");
    expect(tabAfterKey("advanced", "ArrowRight")).toBe("details");
    expect(tabAfterKey("details", "ArrowLeft")).toBe("advanced");
  });

  it("jumps to the first and last with Home and End, and ignores other keys", () => {
    expect(tabAfterKey("https", "Home")).toBe(SITE_TABS[0].id);
    expect(tabAfterKey("https", "End")).toBe(SITE_TABS.at(-1)?.id);
    expect(tabAfterKey("https", "Enter")).toBeNull();
    expect(tabAfterKey("https", "ArrowDown")).toBeNull();
  });
});
