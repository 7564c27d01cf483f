import { describe, expect, it } from "vitest";
import { zodDetails } from "@/lib/errors";
import { siteInputSchema, type Site } from "@/lib/schemas/site";
import { defaultSecurityHeaders } from "@/lib/schemas/site-security";
import { formValuesOf, NEW_SITE, type SiteFormValues } from "./form-values";
import { customHeaderField, readSecurityForm } from "./security-form";

/** What the browser posts for these values (each field is named by its value's key): unchecked boxes left out, as a real form does. */
function posted(values: SiteFormValues): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) {
    if (name === "customHeaders") continue;
    if (value !== false) form.append(name, value === true ? "on" : String(value));
  }
  for (const row of values.customHeaders) {
    form.append("headerKind", row.kind);
    form.append("headerName", row.name);
    form.append("headerValue", row.value);
  }
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
    const off = { ...NEW_SITE, rateLimit: false, securityHeaders: false };
    expect(readSecurityForm(posted(off)).input).toMatchObject({ rateLimit: null, securityHeaders: null });

    const kept = readSecurityForm(posted({ ...off, "securityHeaders.hsts.maxAge": "86400" })).input.securityHeaders;
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
    expect(formValuesOf(site)).toMatchObject({
      securityHeaders: false,
      "securityHeaders.hsts.maxAge": "86400",
      "securityHeaders.frameOptions": defaultSecurityHeaders.frameOptions,
    });
  });

  it("sends null for an empty connection cap, so a saved one is dropped", () => {
    const values = {
      ...NEW_SITE,
      rateLimit: true,
      "rateLimit.requestsPerSecond": "5",
      "rateLimit.burst": "10",
      "rateLimit.maxConnectionsPerIp": " ",
    };
    const { input } = readSecurityForm(posted(values));
    expect(input.rateLimit).toEqual({ requestsPerSecond: 5, burst: 10, maxConnectionsPerIp: null });
    // A new site takes it as no cap too.
    expect(siteInputSchema.parse({ ...minimal, ...input }).rateLimit).toEqual({ requestsPerSecond: 5, burst: 10 });
  });

  it("notes numbers that are not numbers, by the service's path", () => {
    const values = {
      ...NEW_SITE,
      rateLimit: true,
      "rateLimit.requestsPerSecond": "fast",
      "rateLimit.burst": "",
      "rateLimit.maxConnectionsPerIp": "2.5",
    };
    expect(readSecurityForm(posted(values)).problems).toEqual({
      "rateLimit.requestsPerSecond": "Use a number for the requests per second, like 20",
      "rateLimit.burst": "Enter the burst, like 50",
      "rateLimit.maxConnectionsPerIp": "Use a whole number for the connections, like 20",
    });
  });

  it("passes a number out of range to the schema, which says what range it takes", () => {
    const values = {
      ...NEW_SITE,
      rateLimit: true,
      "rateLimit.requestsPerSecond": "-1",
      "rateLimit.burst": "10",
      "rateLimit.maxConnectionsPerIp": "-5",
    };
    const { input, problems } = readSecurityForm(posted(values));
    expect(problems).toEqual({});
    const result = siteInputSchema.safeParse({ ...minimal, ...input });
    expect(zodDetails(result.error!)).toMatchObject({
      "rateLimit.requestsPerSecond": "Allow more than 0 requests per second",
      "rateLimit.maxConnectionsPerIp": "Allow at least 1 connection per address",
    });
  });

  it("leaves out empty header rows and maps each list entry's error to the row it came from", () => {
    const values: SiteFormValues = {
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
    expect(form.headerFields).toContain("header-3-name");
    expect(customHeaderField("customHeaders.responseSet.1.name", form.headerRows)).toBe("header-3-name");
    expect(customHeaderField("customHeaders.responseSet.0.value", form.headerRows)).toBe("header-0-value");
    expect(customHeaderField("customHeaders.responseRemove.0", form.headerRows)).toBe("header-2-name");
    expect(customHeaderField("customHeaders.responseSet", form.headerRows)).toBe("customHeaders");
    expect(customHeaderField("rateLimit.burst", form.headerRows)).toBeUndefined();
  });
});
