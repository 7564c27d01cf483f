import { domainToASCII, domainToUnicode } from "node:url";
import { describe, expect, it } from "vitest";
import { displayHostname } from "./display-hostname";

describe("displayHostname", () => {
  it.each([
    ["xn--bcher-kva.example", "bücher.example"],
    ["*.xn--bcher-kva.example", "*.bücher.example"],
    ["shop.xn--mnchen-3ya.de", "shop.münchen.de"],
    ["example.com", "example.com"],
    ["xn--zz.example", "xn--zz.example"],
  ])("shows %j as %j", (stored, shown) => {
    expect(displayHostname(stored)).toBe(shown);
  });

  it("agrees with node:url for names in many scripts", () => {
    for (const name of ["bücher.example", "例え.テスト", "пример.рф", "straße.de", "😀.com", "ελληνικά.gr", "مثال.إختبار"]) {
      const stored = domainToASCII(name);
      expect(displayHostname(stored)).toBe(domainToUnicode(stored));
    }
  });
});
