import { describe, expect, it } from "vitest";
import { zodDetails } from "@/lib/errors";
import { siteInputSchema, type Site } from "@/lib/schemas/site";
import { defaultSecurityHeaders } from "@/lib/schemas/site-security";
import { formValuesOf, NEW_SITE, type SecurityFormValues } from "./form-values";
import { readSecurityForm, securityFormField } from "./security-form";

/** What the browser posts for these values: unchecked boxes and hidden-but-present fields as a real form does. */
function posted(values: SecurityFormValues, hsts = false): FormData {
  const form = new FormData();
  const put = (name: string, value: string | boolean) => {
    if (value === false) return;
    form.append(name, value === true ? "on" : value);
  };
  put("accessListId", values.accessListId);
  put("rateLimitOn", values.rateLimitOn);
  put("rateLimitRps", values.rateLimitRps);
  put("rateLimitBurst", values.rateLimitBurst);
  put("rateLimitMaxConnections", values.rateLimitMaxConnections);
  put("blockExploits", values.blockExploits);
  put("securityHeadersOn", values.securityHeadersOn);
  put("frameOptions", values.frameOptions);
  put("contentTypeOptions", values.contentTypeOptions);
  put("referrerPolicy", values.referrerPolicy);
  put("permissionsPolicy", values.permissionsPolicy);
  put("contentSecurityPolicy", values.contentSecurityPolicy);
  put("hsts", hsts);
  put("hstsMaxAge", values.hstsMaxAge);
  put("hstsIncludeSubDomains", values.hstsIncludeSubDomains);
  for (const row of values.customHeaders) {
    form.append("headerKind", row.kind);
    form.append("headerName", row.name);
    form.append("headerValue", row.value);
  }
  put("tlsPolicy", values.tlsPolicy);
  return form;
}

const minimal = { name: "Blog", hostnames: ["blog.example.com"], upstreams: [{ url: "http://10.0.0.5:8080" }] };

function siteWith(fields: Record<string, unknown>): Site {
  const data = siteInputSchema.parse({ ...minimal, ...fields });
  return {
    ...data,
    id: "s1",
    upstreams: data.upstreams.map((upstream, index) => ({
      id: `u${index}`,
      url: upstream.url,
      weight: upstream.weight ?? 1,
      health: { state: "unknown", checkedAt: null, latencyMs: null, message: null },
    })),
    status: { applied: true, appliedRevision: 1, error: null },
    createdAt: "2026-11-24T00:00:00.000Z",
    updatedAt: "2026-11-24T00:00:00.000Z",
  };
}

describe("the site form's security settings", () => {
  it("posts back exactly what a site has: every setting survives a save of the untouched form", () => {
    const site = siteWith({
      accessListId: "list-1",
      rateLimit: { requestsPerSecond: 2.5, burst: 10, maxConnectionsPerIp: 4 },
      blockExploits: false,
      securityHeaders: {
        frameOptions: "DENY",
        referrerPolicy: "no-referrer",
        permissionsPolicy: "camera=()",
        hsts: { maxAge: 600, includeSubDomains: true },
      },
      customHeaders: { requestSet: [{ name: "x-a", value: "1" }], responseRemove: ["server"] },
      tlsPolicy: "modern",
    });
    const { input, problems } = readSecurityForm(posted(formValuesOf(site)));
    expect(problems).toEqual({});
    const saved = siteInputSchema.parse({ ...minimal, ...input });
    const { accessListId, rateLimit, blockExploits, securityHeaders, customHeaders, tlsPolicy } = site;
    expect(saved).toMatchObject({ accessListId, rateLimit, blockExploits, securityHeaders, customHeaders, tlsPolicy });
  });

  it("a new site's form posts the API's defaults", () => {
    const { input } = readSecurityForm(posted(NEW_SITE));
    const defaults = siteInputSchema.parse(minimal);
    expect(siteInputSchema.parse({ ...minimal, ...input })).toEqual(defaults);
  });

  it("switches off to null, but keeps changed HSTS options in a preset that sends no header", () => {
    const off = { ...NEW_SITE, rateLimitOn: false, securityHeadersOn: false };
    expect(readSecurityForm(posted(off)).input).toMatchObject({ rateLimit: null, securityHeaders: null });

    const kept = readSecurityForm(posted({ ...off, hstsMaxAge: "86400" })).input.securityHeaders;
    expect(kept).toEqual({
      hsts: { maxAge: 86400, includeSubDomains: false },
      frameOptions: "off",
      contentTypeOptions: false,
      referrerPolicy: "off",
      permissionsPolicy: "",
      contentSecurityPolicy: "",
    });
    // Read back, that is "off" with the options still there.
    const site = siteWith({ securityHeaders: kept });
    expect(formValuesOf(site)).toMatchObject({ securityHeadersOn: false, hstsMaxAge: "86400", frameOptions: defaultSecurityHeaders.frameOptions });
  });

  it("sends null for an empty connection cap, so a saved one is dropped", () => {
    const values = { ...NEW_SITE, rateLimitOn: true, rateLimitRps: "5", rateLimitBurst: "10", rateLimitMaxConnections: " " };
    const { input } = readSecurityForm(posted(values));
    expect(input.rateLimit).toEqual({ requestsPerSecond: 5, burst: 10, maxConnectionsPerIp: null });
    // A new site takes it as no cap too.
    expect(siteInputSchema.parse({ ...minimal, ...input }).rateLimit).toEqual({ requestsPerSecond: 5, burst: 10 });
  });

  it("notes numbers that are not numbers, by the service's path", () => {
    const values = { ...NEW_SITE, rateLimitOn: true, rateLimitRps: "fast", rateLimitBurst: "", rateLimitMaxConnections: "2.5" };
    expect(readSecurityForm(posted(values)).problems).toEqual({
      "rateLimit.requestsPerSecond": "Use a number for the requests per second, like 20",
      "rateLimit.burst": "Enter the burst, like 50",
      "rateLimit.maxConnectionsPerIp": "Use a whole number for the connections, like 20",
    });
  });

  it("passes a number out of range to the schema, which says what range it takes", () => {
    const values = { ...NEW_SITE, rateLimitOn: true, rateLimitRps: "-1", rateLimitBurst: "10", rateLimitMaxConnections: "-5" };
    const { input, problems } = readSecurityForm(posted(values));
    expect(problems).toEqual({});
    const result = siteInputSchema.safeParse({ ...minimal, ...input });
    expect(zodDetails(result.error!)).toMatchObject({
      "rateLimit.requestsPerSecond": "Allow more than 0 requests per second",
      "rateLimit.maxConnectionsPerIp": "Allow at least 1 connection per address",
    });
  });

  it("leaves out empty header rows and maps each list entry's error to the row it came from", () => {
    const values: SecurityFormValues = {
      ...NEW_SITE,
      customHeaders: [
        { kind: "responseSet", name: "X-A", value: "1" },
        { kind: "requestSet", name: "", value: "" },
        { kind: "responseRemove", name: "Server", value: "" },
        { kind: "responseSet", name: "bad name", value: "2" },
      ],
    };
    const form = readSecurityForm(posted(values));
    expect(form.input.customHeaders).toEqual({
      requestSet: [],
      requestRemove: [],
      responseSet: [
        { name: "X-A", value: "1" },
        { name: "bad name", value: "2" },
      ],
      responseRemove: ["Server"],
    });
    expect(form.fields).toContain("header-3-name");
    expect(securityFormField("customHeaders.responseSet.1.name", form.headerRows)).toBe("header-3-name");
    expect(securityFormField("customHeaders.responseSet.0.value", form.headerRows)).toBe("header-0-value");
    expect(securityFormField("customHeaders.responseRemove.0", form.headerRows)).toBe("header-2-name");
    expect(securityFormField("customHeaders.responseSet", form.headerRows)).toBe("customHeaders");
    expect(securityFormField("rateLimit.burst", form.headerRows)).toBe("rateLimitBurst");
    expect(securityFormField("securityHeaders.hsts.maxAge", form.headerRows)).toBe("hstsMaxAge");
    expect(securityFormField("name", form.headerRows)).toBeUndefined();
  });
});
