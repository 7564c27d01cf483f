import { describe, expect, it } from "vitest";
import { defaultSecurityHeaders, noCustomHeaders } from "@/lib/schemas/site-security";
import { protectionSummary } from "./protection-summary";

const bare = {
  accessListId: null,
  rateLimit: null,
  blockExploits: false,
  securityHeaders: null,
  customHeaders: noCustomHeaders,
  tlsPolicy: "intermediate" as const,
  hsts: false,
  certificateId: null,
};

describe("protectionSummary", () => {
  it("says plainly that nothing guards a bare site", () => {
    expect(protectionSummary(bare, [])).toEqual([
      { label: "Access list", on: false, value: "None (anyone can visit)" },
      { label: "Rate limit", on: false, value: "Off" },
      { label: "Exploit blocking", on: false, value: "Off" },
      { label: "Headers", on: false, value: "No security headers" },
      { label: "TLS", on: false, value: "Intermediate (TLS 1.2 and 1.3), once the site has a certificate" },
    ]);
  });

  it("names the access list, the limits, the headers sent and the TLS policy", () => {
    const items = protectionSummary(
      {
        accessListId: "l1",
        rateLimit: { requestsPerSecond: 20, burst: 50, maxConnectionsPerIp: 1 },
        blockExploits: true,
        securityHeaders: {
          ...defaultSecurityHeaders,
          contentSecurityPolicy: "default-src 'self'",
          hsts: { maxAge: 86_400, includeSubDomains: true },
        },
        customHeaders: { ...noCustomHeaders, responseSet: [{ name: "x-a", value: "1" }], requestRemove: ["x-b"] },
        tlsPolicy: "modern",
        hsts: true,
        certificateId: "c1",
      },
      [{ id: "l1", name: "Office only" }],
    );
    expect(items.map((item) => [item.label, item.on, item.value])).toEqual([
      ["Access list", true, "Office only"],
      ["Rate limit", true, "20 requests/s per address, bursts of 50, at most 1 connection"],
      ["Exploit blocking", true, "On"],
      [
        "Headers",
        true,
        "HSTS (1 day, subdomains), X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Content-Security-Policy · 2 custom headers",
      ],
      ["TLS", true, "Modern (TLS 1.3 only)"],
    ]);
  });
});
