import { describe, expect, it } from "vitest";
import { primaryKey, variantKey } from "./cache-key";

describe("cache keys", () => {
  it("keys by scheme, host without port, any case, and the target as sent", () => {
    expect(primaryKey("https", "Shop.Test:8443", "/a?x=1")).toBe("https://shop.test/a?x=1");
    expect(primaryKey("http", "[::1]:80", "/")).toBe("http://[::1]/");
    expect(primaryKey("http", "[::1]", "/")).toBe("http://[::1]/");
    expect(primaryKey("https", "shop.test", "/a?x=1")).not.toBe(primaryKey("https", "shop.test", "/a?x=2"));
    expect(primaryKey("http", "shop.test", "/")).not.toBe(primaryKey("https", "shop.test", "/"));
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
