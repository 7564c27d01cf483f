import { describe, expect, it } from "vitest";
import type { Certificate } from "@/lib/schemas/certificate";
import type { Site } from "@/lib/schemas/site";
import { httpsCard } from "./https-model";

const now = Date.parse("2026-12-07T08:00:00Z");
const site = (hostnames: string[], certificateId: string | null = null) => ({ id: "s1", hostnames, certificateId }) as unknown as Site;

function acme(id: string, domains: string[], overrides: Partial<Certificate> = {}): Certificate {
  return {
    id,
    name: domains[0] ?? id,
    source: "acme",
    domains,
    issuer: "",
    serialNumber: "",
    notBefore: "2026-12-07T07:00:00.000Z",
    notAfter: "2026-12-07T07:00:00.000Z",
    daysLeft: 0,
    status: "failed",
    lastError: "The DNS provider refused",
    autoRenew: true,
    siteIds: [],
    progress: [],
    renewAt: null,
    nextAttemptAt: null,
    ordering: false,
    challenge: "dns-01",
    dnsProviderId: "p1",
    ...overrides,
  };
}

describe("the HTTPS card of a site with a wildcard name", () => {
  const names = ["*.dns.test", "dns.test"];

  it("offers a wildcard order, with the wildcard names", () => {
    expect(httpsCard(site(names), [], now)).toEqual({ kind: "wildcard", wildcards: ["*.dns.test"], current: undefined, failedOrder: undefined });
  });

  it("shows the last failed wildcard order above the offer", () => {
    const failed = acme("c1", names);
    expect(httpsCard(site(names), [failed], now)).toMatchObject({ kind: "wildcard", failedOrder: failed });
  });

  it("follows a running wildcard order", () => {
    const running = acme("c1", names, { status: "pending", lastError: null, ordering: true });
    expect(httpsCard(site(names), [running], now)).toMatchObject({ kind: "ordering", certificate: running });
  });

  it("offers to switch to an issued wildcard certificate the site does not use yet", () => {
    const issued = acme("c1", names, { issuer: "Pebble", serialNumber: "01", status: "valid", lastError: null, daysLeft: 89 });
    expect(httpsCard(site(names), [issued], now)).toMatchObject({ kind: "issued-unused", certificate: issued });
  });

  it("is a Let's Encrypt site once it uses an issued certificate for all its names", () => {
    const issued = acme("c1", names, { issuer: "Pebble", serialNumber: "01", status: "valid", lastError: null, daysLeft: 89 });
    expect(httpsCard(site(names, "c1"), [issued], now)).toMatchObject({ kind: "acme", certificate: issued });
  });

  it("keeps the plain offer for a site without wildcards", () => {
    expect(httpsCard(site(["shop.test"]), [], now)).toEqual({ kind: "offer", current: undefined, failedOrder: undefined });
  });
});
