import { describe, expect, it } from "vitest";
import { explanationSteps } from "./explanation-steps";
import { readHeaderLines } from "./header-lines";

describe("readHeaderLines", () => {
  it("reads Name: value lines, skipping blank ones, keeping colons in values", () => {
    expect(readHeaderLines("X-Version: 2\n\nAuthorization: Basic YTpi\r\nReferer: https://a.test/x")).toEqual({
      "X-Version": "2",
      Authorization: "Basic YTpi",
      Referer: "https://a.test/x",
    });
  });

  it("names the line that is not a header", () => {
    expect(readHeaderLines("X-Version: 2\nnot a header")).toMatch(/^Line 2: write a header as Name: value/);
    expect(readHeaderLines(": no name")).toMatch(/^Line 1:/);
  });
});

describe("explanationSteps", () => {
  const none = { site: null, route: null, upstreamUrl: null, upstreamPath: null, upstreamHealth: null, protections: [] };

  it("says no site has the hostname, and who answers", () => {
    expect(explanationSteps({ ...none, answer: { status: 404 } }, "nobody.test")).toEqual([
      { title: "Site", detail: "No site has the hostname nobody.test." },
      { title: "Answer", detail: "The proxy answers 404 itself; nothing is sent to an upstream server." },
    ]);
  });

  it("walks a forwarded request through its site, route and protections", () => {
    const steps = explanationSteps(
      {
        site: { id: "s", name: "Shop" },
        route: { id: "r", pathPrefix: "/api" },
        upstreamUrl: "http://127.0.0.1:9000",
        upstreamPath: "/users",
        upstreamHealth: "available",
        protections: [{ name: "access-list", decision: "lets it through" }],
        answer: { status: null },
      },
      "shop.test",
    );
    expect(steps.map((step) => step.detail)).toEqual([
      "shop.test belongs to the site “Shop”.",
      "The route for /api takes this path.",
      "Lets it through.",
      "Sent to http://127.0.0.1:9000 as /users; that server answers.",
    ]);
    expect(steps[2]!.title).toBe("Access list");
  });

  it("says when the upstream it goes to has been failing", () => {
    const steps = explanationSteps(
      {
        ...none,
        site: { id: "s", name: "Shop" },
        upstreamUrl: "http://127.0.0.1:9000",
        upstreamPath: "/",
        upstreamHealth: "benched",
        answer: { status: null },
      },
      "shop.test",
    );
    expect(steps.at(-1)!.detail).toMatch(/has been failing lately, and is tried only because no other server is available\.$/);
  });

  it("says where a redirect goes", () => {
    const steps = explanationSteps({ ...none, site: { id: "s", name: "Old" }, answer: { status: 301, location: "https://new.test/" } }, "old.test");
    expect(steps.at(-1)!.detail).toBe("The proxy redirects (301) to https://new.test/.");
  });
});
