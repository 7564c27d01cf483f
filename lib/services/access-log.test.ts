import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { ProxyUnreachableError } from "../config/control-client";
import { AppError } from "../errors";
import { accessLogQueryInput, accessLogQuerySchema, accessLogQueryString } from "../schemas/access-log-query";
import { siteAccessLog } from "./access-log";
import { createSite } from "./sites";

let cleanup: () => Promise<void>;
let siteId: string;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
  siteId = (await createSite({ name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] })).id;
});
afterEach(() => cleanup());

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("accessLogQuerySchema", () => {
  it("normalises what people type and names the field that is wrong", () => {
    expect(accessLogQuerySchema.parse({ status: " 4XX ", method: "post", clientIp: "::FFFF:203.0.113.9" })).toEqual({
      status: "4xx",
      method: "POST",
      clientIp: "203.0.113.9",
      limit: 100,
    });
    expect(accessLogQuerySchema.parse({ clientIp: "2001:DB8::1", limit: "1000", path: "/A b" })).toEqual({
      clientIp: "2001:db8::1",
      limit: 1000,
      path: "/A b",
    });
    for (const [field, value] of [
      ["status", "600"],
      ["status", "4x"],
      ["status", "abc"],
      ["method", "GET /"],
      ["clientIp", "10.0.0"],
      ["limit", "0"],
      ["limit", "1001"],
      ["limit", "2.5"],
      ["limit", "many"],
      ["path", "x".repeat(501)],
      ["blocked", "yes"],
    ] as const) {
      const parsed = accessLogQuerySchema.safeParse({ [field]: value });
      expect(parsed.success, `${field}=${value}`).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual([field]);
    }
  });

  it("reads blocked as 1/true or 0/false, and says so for anything else", () => {
    for (const value of ["1", "true", "TRUE", " 1 "]) expect(accessLogQuerySchema.parse({ blocked: value }).blocked, value).toBe(true);
    for (const value of ["0", "false", "False"]) expect(accessLogQuerySchema.parse({ blocked: value }).blocked, value).toBe(false);
    expect(accessLogQuerySchema.parse({})).not.toHaveProperty("blocked");
    for (const value of ["yes", "on", "2", "", true]) {
      const parsed = accessLogQuerySchema.safeParse({ blocked: value });
      expect(parsed.success, String(value)).toBe(false);
      expect(parsed.error?.issues).toEqual([
        expect.objectContaining({ path: ["blocked"], message: "Use 1 or true for blocked requests only, 0 or false for every request" }),
      ]);
    }
  });

  it("writes filters back as a query string that parses to the same filters", () => {
    for (const search of ["blocked=1&status=4xx", "blocked=false", "blocked=true&clientIp=2001:DB8::1&method=post&path=%2Fa%20b&limit=5", ""]) {
      const once = accessLogQuerySchema.parse(accessLogQueryInput(new URLSearchParams(search)));
      const string = accessLogQueryString(once);
      expect(accessLogQuerySchema.parse(accessLogQueryInput(new URLSearchParams(string))), search).toEqual(once);
    }
    expect(accessLogQueryString(accessLogQuerySchema.parse({ blocked: "true", status: "404" }))).toBe("status=404&blocked=1&limit=100");
    expect(accessLogQueryString(accessLogQuerySchema.parse({ blocked: "false" }))).toBe("blocked=0&limit=100");
  });

  it("reads a query string and a page's searchParams alike, leaving out empty fields", () => {
    const fromUrl = accessLogQueryInput(new URLSearchParams("status=404&method=&path=%2Fapi&blocked=1&other=1"));
    const fromPage = accessLogQueryInput({ status: ["404", "500"], method: "", path: "/api", blocked: "1", other: "1" });
    expect(fromUrl).toEqual({ status: "404", path: "/api", blocked: "1" });
    expect(fromPage).toEqual(fromUrl);
  });
});

describe("siteAccessLog", () => {
  it("refuses bad filters with the field named, and unknown sites", async () => {
    const bad = await failure(siteAccessLog(siteId, { status: "4x", limit: "5000", blocked: "maybe" }));
    expect(bad.code).toBe("validation_failed");
    expect(Object.keys(bad.details).sort()).toEqual(["blocked", "limit", "status"]);
    const unknown = await failure(siteAccessLog("no-such-site", {}));
    expect(unknown.code).toBe("not_found");
    expect(unknown.message).toBe("Site was not found");
  });

  it("says plainly that the proxy is not running", async () => {
    const error = await failure(siteAccessLog(siteId, {}));
    expect(error).toBeInstanceOf(ProxyUnreachableError);
    expect(error.message).toMatch(/^The proxy is not running/);
  });
});
