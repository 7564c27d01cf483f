import { describe, expect, it } from "vitest";
import { rulesEffect, rulesSummary } from "./rules-text";

describe("access list rules in words", () => {
  it("counts, and names satisfy only where it decides something", () => {
    expect(rulesSummary({ allowed: 2, denied: 1, users: 3, satisfy: "any" })).toBe("2 allowed, 1 denied, 3 users, satisfy any");
    expect(rulesSummary({ allowed: 0, denied: 0, users: 1, satisfy: "all" })).toBe("0 allowed, 0 denied, 1 user");
  });

  it("says what the proxy does with each combination", () => {
    expect(rulesEffect({ allowed: 0, denied: 0, users: 0, satisfy: "all" })).toMatch(/^Lets everyone in/);
    expect(rulesEffect({ allowed: 0, denied: 2, users: 0, satisfy: "all" })).toMatch(/everyone else gets in/);
    expect(rulesEffect({ allowed: 1, denied: 0, users: 0, satisfy: "any" })).toBe("Only visitors from the allowed addresses get in.");
    expect(rulesEffect({ allowed: 0, denied: 1, users: 1, satisfy: "any" })).toBe("Every visitor must log in. Denied addresses are always refused.");
    expect(rulesEffect({ allowed: 1, denied: 0, users: 1, satisfy: "any" })).toMatch(/get in directly; everyone else must log in/);
    expect(rulesEffect({ allowed: 1, denied: 0, users: 1, satisfy: "all" })).toMatch(/can log in, and they must/);
  });
});
