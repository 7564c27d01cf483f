import { describe, expect, it } from "vitest";
import type { CompressionCoding as Coding } from "@/lib/schemas/site-compression";
import { chooseCoding } from "./accept-encoding";

const ALL: Coding[] = ["br", "zstd", "gzip"];
const NODE20: Coding[] = ["br", "gzip"];

describe("chooseCoding", () => {
  it.each([
    // [Accept-Encoding, offered, expected]
    [undefined, ALL, null],
    ["", ALL, null],
    ["identity", ALL, null],
    ["gzip", ALL, "gzip"],
    ["gzip, deflate, br", ALL, "br"],
    ["gzip, deflate, br, zstd", ALL, "br"],
    ["gzip, deflate, br, zstd", ["zstd", "gzip"], "zstd"],
    ["zstd", NODE20, null],
    ["GZIP", ALL, "gzip"],
    ["x-gzip", ALL, "gzip"],
    ["br;q=0.5, gzip;q=0.8", ALL, "gzip"],
    ["br;q=1.0, gzip;q=1", ALL, "br"],
    ["br;q=0, gzip", ALL, "gzip"],
    ["br;q=0, gzip;q=0", ALL, null],
    ["*", ALL, "br"],
    ["*;q=0", ALL, null],
    ["*, br;q=0", ALL, "zstd"],
    ["*, br;q=0", NODE20, "gzip"],
    ["gzip;q=0.2, *;q=0.1", ALL, "gzip"],
    ["gzip;q=0.001", ALL, "gzip"],
    ["identity;q=1, gzip;q=0.5", ALL, "gzip"],
    [" br ; q = 0.9 ,gzip ; q=0.3", ALL, "br"],
    ["br, br;q=0", ALL, null],
    ["gzip", [], null],
  ] as const)("%j offering %j -> %j", (header, offered, expected) => {
    expect(chooseCoding(header, offered)).toBe(expected);
  });

  it.each(["br;q=2", "br;q=1.5", "br;q=0.1234", "br;q=abc", "br;q=", "br;q=-1", "br;q=.5"])("skips the unreadable %j", (header) => {
    expect(chooseCoding(header, ALL)).toBe(null);
    expect(chooseCoding(`${header}, gzip;q=0.1`, ALL)).toBe("gzip");
  });

  it("reads a hostile header without trouble", () => {
    expect(chooseCoding(`${",".repeat(10_000)}gzip${";q=1".repeat(1000)}`, ALL)).toBe("gzip");
  });
});
