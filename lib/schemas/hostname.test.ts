import { describe, expect, it } from "vitest";
import { hostnameSchema } from "./hostname";

/** Internationalised names: stored in punycode, refused with their own message when IDNA refuses them. */
describe("hostnameSchema with internationalised names", () => {
  it.each([
    ["bücher.example", "xn--bcher-kva.example"],
    ["BÜCHER.Example.", "xn--bcher-kva.example"],
    ["*.bücher.example", "*.xn--bcher-kva.example"],
    ["shop.münchen.de", "shop.xn--mnchen-3ya.de"],
    ["例え。テスト", "xn--r8jz45g.xn--zckzah"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
  ])("stores %j as %j", (input, stored) => {
    expect(hostnameSchema.parse(input)).toBe(stored);
  });

  it.each([
    ["xn--zz.example", '"xn--zz" is not a valid international name part'],
    ["a\u200fb.example", "is not a valid international name part"],
    ["ü-.example", '"ü-" may not start or end with a hyphen'],
    ["bü_cher.example", '"bü_cher" may use only letters, digits and inner hyphens'],
    [`${"ü".repeat(60)}.example`, "in punycode) is"],
    ["not a domain", "it has a space"],
  ])("refuses %j saying %j", (input, message) => {
    const result = hostnameSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });
});
