import { describe, expect, it } from "vitest";
import { customHeadersSchema, defaultSecurityHeaders, noCustomHeaders, securityHeadersSchema } from "@/lib/schemas/site-security";
import { editedHeaders } from "../data-plane/header-list";
import { compileHeaderPlan } from "./header-plan";

describe("compileHeaderPlan", () => {
  it("adds the preset's headers only where the upstream sent none", () => {
    const plan = compileHeaderPlan({ hsts: false, securityHeaders: defaultSecurityHeaders, customHeaders: noCustomHeaders });
    const headers = editedHeaders({ "x-frame-options": "DENY", "content-type": "text/html" }, plan.responseHttp);
    expect(headers).toEqual({
      "content-type": "text/html",
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
  });

  it("sends HSTS over HTTPS only, with the chosen options", () => {
    const securityHeaders = securityHeadersSchema.parse({
      hsts: { maxAge: 600, includeSubDomains: true },
      contentSecurityPolicy: "default-src 'self'",
    });
    const plan = compileHeaderPlan({ hsts: true, securityHeaders, customHeaders: noCustomHeaders });
    const overHttps = editedHeaders({ "strict-transport-security": "max-age=0" }, plan.responseHttps);
    expect(overHttps["strict-transport-security"]).toBe("max-age=600; includeSubDomains");
    expect(overHttps["content-security-policy"]).toBe("default-src 'self'");
    const overHttp = editedHeaders({}, plan.responseHttp);
    expect(overHttp["strict-transport-security"]).toBeUndefined();
  });

  it("adds nothing with the preset off and no custom headers", () => {
    const plan = compileHeaderPlan({ hsts: false, securityHeaders: null, customHeaders: noCustomHeaders });
    const headers = { "content-type": "text/plain" };
    expect(editedHeaders(editedHeaders(headers, plan.responseHttps), plan.request)).toEqual(headers);
  });

  it("sets and removes custom headers each way", () => {
    const customHeaders = customHeadersSchema.parse({
      requestSet: [{ name: "X-Team", value: "blue" }],
      requestRemove: ["Cookie"],
      responseSet: [{ name: "Cache-Control", value: "no-store" }],
      responseRemove: ["x-debug"],
    });
    const plan = compileHeaderPlan({ hsts: false, securityHeaders: null, customHeaders });
    expect(editedHeaders({ cookie: "a=1", "x-team": "red" }, plan.request)).toEqual({ "x-team": "blue" });
    expect(editedHeaders({ "x-debug": "1", "cache-control": "public" }, plan.responseHttp)).toEqual({ "cache-control": "no-store" });
  });
});

describe("site security schemas", () => {
  it.each([
    [{ requestSet: [{ name: "Host", value: "x" }] }, "requestSet.0.name", "The proxy manages the “host” header itself"],
    [{ responseSet: [{ name: "X-A", value: "a\r\nSet-Cookie: x" }] }, "responseSet.0.value", "The header value must be on one line"],
    [{ responseRemove: ["bad name"] }, "responseRemove.0", "Use a header name of letters, digits and dashes, like X-Team"],
  ])("refuses %j", (input, path, message) => {
    const result = customHeadersSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toContainEqual([path, message]);
  });
});
