import { describe, expect, it } from "vitest";
import { providerTypeView, providerTypeViews } from "./provider-types";

describe("the form's view of each DNS provider type", () => {
  it("offers every type, each with its label", () => {
    const views = providerTypeViews();
    expect(views.map((view) => view.type)).toContain("rfc2136");
    expect(views.every((view) => view.label !== "")).toBe(true);
  });

  it("reads enums, defaults and optional fields from the schemas, through .default() and .optional()", () => {
    const rfc2136 = providerTypeView("rfc2136");
    expect(rfc2136.settings.map((field) => field.key)).toEqual(["server", "tsigKeyName", "tsigAlgorithm"]);
    const [server, , algorithm] = rfc2136.settings;
    expect(server).toMatchObject({ label: "DNS server", optional: false });
    expect(server?.options).toBeUndefined();
    expect(algorithm).toMatchObject({ defaultValue: "hmac-sha256", optional: true });
    expect(algorithm?.options).toContain("hmac-sha512");
    expect(rfc2136.credentials).toEqual([expect.objectContaining({ key: "tsigSecret", label: "TSIG secret", optional: false })]);

    const route53 = providerTypeView("route53");
    expect(route53.settings.find((field) => field.key === "hostedZoneId")).toMatchObject({ optional: true });
    expect(route53.settings.find((field) => field.key === "region")).toMatchObject({ optional: true, defaultValue: "us-east-1" });
  });

  it("gives the manual type no fields at all", () => {
    expect(providerTypeView("manual")).toMatchObject({ settings: [], credentials: [] });
  });
});
