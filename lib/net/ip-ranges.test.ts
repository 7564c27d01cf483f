import { describe, expect, it } from "vitest";
import { ipRangeSchema, parseIpRange, splitIpRangeText } from "../schemas/ip-range";
import { IpRanges } from "./ip-ranges";

describe("parseIpRange", () => {
  it.each([
    ["10.0.0.0/8", { address: "10.0.0.0", prefix: 8, family: "ipv4" }],
    ["192.0.2.7", { address: "192.0.2.7", prefix: 32, family: "ipv4" }],
    [" 2001:db8::/32 ", { address: "2001:db8::", prefix: 32, family: "ipv6" }],
    ["::1", { address: "::1", prefix: 128, family: "ipv6" }],
    ["0.0.0.0/0", { address: "0.0.0.0", prefix: 0, family: "ipv4" }],
  ])("reads %s", (text, expected) => {
    expect(parseIpRange(text)).toEqual(expected);
  });

  it.each(["", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "10.0.0.0/8/1", "10.0.0.0/-1", "10.0.0.0/", "example.com", "10.0.0.0/8a", "256.1.1.1"])(
    "refuses %j",
    (text) => {
      expect(parseIpRange(text)).toBeNull();
    },
  );

  it("explains a bad entry by quoting it", () => {
    const result = ipRangeSchema.safeParse("10.0.0.300");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("“10.0.0.300” is not an IP address or a range like 10.0.0.0/8 or 2001:db8::/32");
  });

  it("splits a textarea on lines, commas and spaces", () => {
    expect(splitIpRangeText("10.0.0.0/8,\n 192.0.2.1  2001:db8::/32\n\n")).toEqual(["10.0.0.0/8", "192.0.2.1", "2001:db8::/32"]);
  });
});

describe("IpRanges", () => {
  const ranges = new IpRanges(["10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1"]);

  it.each([
    ["10.200.3.4", true],
    ["11.0.0.1", false],
    ["192.0.2.7", true],
    ["192.0.2.8", false],
    ["2001:db8:ffff::1", true],
    ["2001:db9::1", false],
    ["::1", true],
    ["127.0.0.1", false],
    ["", false],
    ["not-an-ip", false],
  ])("%s in the set: %s", (address, expected) => {
    expect(ranges.has(address)).toBe(expected);
  });

  it("an empty set holds nothing", () => {
    expect(new IpRanges([]).has("10.0.0.1")).toBe(false);
  });
});
