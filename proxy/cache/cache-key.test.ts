import { describe, expect, it } from "vitest";
import { primaryKey, variantKey } from "./cache-key";

describe("cache keys", () => {
  it("keys by host without port, any case, and the target as sent", () => {
    expect(primaryKey("Shop.Test:8443", "/a?x=1")).toBe("shop.test/a?x=1");
    expect(primaryKey("[::1]:80", "/")).toBe("[::1]/");
    expect(primaryKey("[::1]", "/")).toBe("[::1]/");
    expect(primaryKey("shop.test", "/a?x=1")).not.toBe(primaryKey("shop.test", "/a?x=2"));
  });

  it("has no variant when nothing varies", () => {
    expect(variantKey([], { cookie: "a" }, ["br", "gzip"])).toBe("");
  });

  it("takes Accept-Encoding as the coding the answer would get", () => {
    const key = (acceptEncoding?: string) => variantKey(["accept-encoding"], { "accept-encoding": acceptEncoding }, ["br", "gzip"]);
    expect(key("gzip, deflate, br")).toBe(key("br, gzip"));
    expect(key("gzip")).not.toBe(key("br"));
    expect(key(undefined)).toBe(key("identity"));
    expect(key("zstd")).toBe(key(undefined));
  });

  it("keeps other headers' values apart, whitespace aside", () => {
    const key = (language?: string) => variantKey(["accept-language"], { "accept-language": language }, []);
    expect(key("de,  en")).toBe(key("de, en"));
    expect(key("de")).not.toBe(key("en"));
    expect(key(undefined)).toBe(key(""));
  });
});
