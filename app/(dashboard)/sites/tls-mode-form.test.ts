import { describe, expect, it } from "vitest";
import { siteInputSchema } from "@/lib/schemas/site";
import { inputForTlsMode, lossWords, tlsModeOf } from "./tls-mode-form";

const site = {
  name: "Mail",
  hostnames: ["mail.example.com"],
  upstreams: [{ url: "tcp://127.0.0.1:9443" }],
  certificateId: "cert-1",
  hsts: true,
  redirect: { to: "https://example.com", status: 301, preservePath: true },
  routes: [{ pathPrefix: "/api", upstreams: [{ url: "http://127.0.0.1:8080" }] }],
  tlsMode: "passthrough",
};

describe("inputForTlsMode", () => {
  it("clears what a pass-through site cannot hold, so the schema accepts it", () => {
    expect(siteInputSchema.safeParse(site).success).toBe(false);
    const { input } = inputForTlsMode(site, {});
    expect(input).toMatchObject({ certificateId: null, hsts: false, redirect: null, routes: [] });
    expect(siteInputSchema.safeParse(input).success).toBe(true);
  });

  it("drops the form's own problems in the hidden fields, and keeps the others", () => {
    const problems = { "routes.0.respond.status": "Use a number", "redirect.status": "Choose one", "upstreams.0.weight": "weight must be…" };
    expect(inputForTlsMode(site, problems).problems).toEqual({ "upstreams.0.weight": "weight must be…" });
  });

  it("leaves a terminated site as it is", () => {
    const terminated = { ...site, tlsMode: "terminate" };
    const problems = { "routes.0.respond.status": "Use a number" };
    expect(inputForTlsMode(terminated, problems)).toEqual({ input: terminated, problems });
  });
});

describe("tlsModeOf", () => {
  it("reads no choice as terminate and passes anything else on for the schema to judge", () => {
    expect(tlsModeOf("")).toBe("terminate");
    expect(tlsModeOf("passthrough")).toBe("passthrough");
    expect(tlsModeOf("bogus")).toBe("bogus");
  });
});

describe("lossWords", () => {
  const none = { certificate: false, hsts: false, routes: 0, redirect: false };
  it("names what saving as pass-through removes", () => {
    expect(lossWords(none)).toBe("");
    expect(lossWords({ ...none, routes: 1 })).toBe("1 route");
    expect(lossWords({ certificate: true, hsts: true, routes: 2, redirect: true })).toBe(
      "the certificate choice, HSTS, 2 routes and the whole-site redirect",
    );
  });
});
