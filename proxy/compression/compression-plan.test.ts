import { describe, expect, it } from "vitest";
import { planCompression, type RuntimeCompression } from "./compression-plan";

const SITE: RuntimeCompression = { codings: ["br", "gzip"], minBytes: 1024 };
const HTML = ["content-type", "text/html; charset=utf-8", "content-length", "5000"];

describe("planCompression", () => {
  it("codes a large text answer for a client that accepts it, and says so in the headers", () => {
    const plan = planCompression(SITE, "gzip, br", 200, [...HTML, "etag", '"abc"', "accept-ranges", "bytes", "x-app", "1"]);
    expect(plan.coding).toBe("br");
    expect(plan.length).toBe(5000);
    expect(plan.headers).toEqual([
      "content-type",
      "text/html; charset=utf-8",
      "etag",
      'W/"abc"',
      "x-app",
      "1",
      "content-encoding",
      "br",
      "vary",
      "Accept-Encoding",
    ]);
  });

  it("keeps a weak validator weak and an upstream Vary that already names Accept-Encoding or *", () => {
    for (const vary of ["accept-encoding", "Cookie, Accept-Encoding", "*"]) {
      const plan = planCompression(SITE, "gzip", 200, [...HTML, "etag", 'W/"abc"', "vary", vary]);
      expect(plan.headers.filter((_, i, all) => all[i - 1] === "vary")).toEqual([vary]);
      expect(plan.headers).toContain('W/"abc"');
    }
  });

  it("replaces an identity Content-Encoding with its own", () => {
    const plan = planCompression(SITE, "gzip", 200, [...HTML, "content-encoding", "identity"]);
    expect(plan.coding).toBe("gzip");
    expect(plan.headers.filter((header) => header === "content-encoding")).toHaveLength(1);
  });

  it.each([
    ["a 204", 204, HTML],
    ["a 304", 304, HTML],
    ["a 206", 206, HTML],
    ["an answer coded already", 200, [...HTML, "content-encoding", "gzip"]],
    ["no-transform", 200, [...HTML, "cache-control", "public, No-Transform"]],
    ["no Content-Type", 200, ["content-length", "5000"]],
    ["an image", 200, ["content-type", "image/jpeg"]],
    ["a body below the minimum", 200, ["content-type", "text/css", "content-length", "1023"]],
  ] as const)("leaves %s untouched, headers and all", (_what, status, headers) => {
    const plan = planCompression(SITE, "br, gzip", status, [...headers]);
    expect(plan.coding).toBe(null);
    expect(plan.headers).toEqual(headers);
  });

  it("codes a body of unknown length, and one exactly at the minimum", () => {
    expect(planCompression(SITE, "br", 200, ["content-type", "application/json"]).coding).toBe("br");
    expect(planCompression(SITE, "br", 200, ["content-type", "text/css", "content-length", "1024"]).coding).toBe("br");
  });

  it("adds only Vary for a client that takes no offered coding", () => {
    const plan = planCompression(SITE, "zstd", 200, [...HTML]);
    expect(plan.coding).toBe(null);
    expect(plan.headers).toEqual([...HTML, "vary", "Accept-Encoding"]);
  });
});
