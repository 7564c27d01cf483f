import { describe, expect, it } from "vitest";
import { EXPLOIT_RULES } from "./exploit-rules";
import { blockedReason } from "./blocked-reason";
import { exploitCategoryLabel } from "./exploit-categories";

describe("blockedReason", () => {
  it("names the fixed protections in plain words", () => {
    expect(blockedReason("rate-limit")).toMatchObject({ kind: "rate-limit", label: "Rate limit", text: "Rate limit" });
    expect(blockedReason("connection-limit")).toMatchObject({
      kind: "connection-limit",
      label: "Too many connections",
      text: "Too many connections",
    });
    expect(blockedReason("access-list")).toMatchObject({ kind: "access-list", label: "Access list", text: "Access list" });
    for (const value of ["rate-limit", "connection-limit", "access-list"]) expect(blockedReason(value).description).not.toBe("");
  });

  it("names an exploit rule by its category and description", () => {
    const reason = blockedReason("exploit:sensitive-dotenv");
    expect(reason).toMatchObject({ kind: "exploit", label: "Secret or config file probe", ruleId: "sensitive-dotenv", category: "sensitive-file" });
    expect(reason.description).toBe(EXPLOIT_RULES.find((rule) => rule.id === "sensitive-dotenv")!.description);
    expect(reason.text).toBe(`Secret or config file probe: ${reason.description}`);
    // A description that starts with its category does not say it twice.
    expect(blockedReason("exploit:sqli-union-select")).toMatchObject({
      label: "SQL injection",
      description: "SQL injection: UNION SELECT pulls data from other tables",
      detail: "UNION SELECT pulls data from other tables",
      text: "SQL injection: UNION SELECT pulls data from other tables",
    });
    expect(blockedReason("exploit:xss-script-tag").text).toBe("Cross-site scripting (XSS): a <script> tag");
    expect(blockedReason("exploit:rce-log4shell").text).toBe("Remote code execution: Log4Shell: a ${jndi:...} lookup that loads remote code");
  });

  it("shows the rule id of an exploit rule it cannot describe, and an unknown value as it is", () => {
    expect(blockedReason("exploit:brand-new-rule")).toMatchObject({
      kind: "exploit",
      label: "Exploit pattern (brand-new-rule)",
      text: "Exploit pattern (brand-new-rule)",
      ruleId: "brand-new-rule",
    });
    // Not fooled by the names of Object.prototype.
    expect(blockedReason("exploit:constructor").label).toBe("Exploit pattern (constructor)");
    expect(blockedReason("toString")).toMatchObject({ kind: null, label: "toString" });
    expect(blockedReason("geo-block")).toMatchObject({ kind: null, label: "geo-block", text: "geo-block" });
  });
});

describe("blocked reasons of the exploit rules", () => {
  it("name every rule by its category, with its own description", () => {
    for (const rule of EXPLOIT_RULES) {
      const reason = blockedReason(`exploit:${rule.id}`);
      expect(reason.label).toBe(exploitCategoryLabel(rule.category));
      expect(reason.description).toBe(rule.description);
      expect(rule.description.endsWith(reason.detail!)).toBe(true);
      expect(reason.text).toBe(`${reason.label}: ${reason.detail}`);
    }
  });
});
