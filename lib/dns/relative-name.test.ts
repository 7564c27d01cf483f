import { describe, expect, it } from "vitest";
import { relativeName } from "./relative-name";

describe("relativeName", () => {
  it("is the labels in front of the zone", () => {
    expect(relativeName("_acme-challenge.example.com", "example.com")).toBe("_acme-challenge");
    expect(relativeName("_acme-challenge.www.shop.example.com", "example.com")).toBe("_acme-challenge.www.shop");
    expect(relativeName("_acme-challenge.shop.example.com", "shop.example.com")).toBe("_acme-challenge");
  });

  it("is empty at the apex", () => {
    expect(relativeName("example.com", "example.com")).toBe("");
  });

  it("ignores letter case and trailing dots, keeping the name's own letters", () => {
    expect(relativeName("_ACME-challenge.Example.COM.", "example.com")).toBe("_ACME-challenge");
    expect(relativeName("_acme-challenge.example.com", "Example.com.")).toBe("_acme-challenge");
  });

  it("refuses a name outside the zone, including one that only ends in the same letters", () => {
    expect(() => relativeName("_acme-challenge.example.org", "example.com")).toThrow("not a name in the zone example.com");
    expect(() => relativeName("_acme-challenge.myexample.com", "example.com")).toThrow("not a name in the zone");
    expect(() => relativeName("example.com", "")).toThrow("not a name in the zone");
  });
});
