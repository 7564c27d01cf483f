import { describe, expect, it } from "vitest";
import { fieldErrorsFrom, splitLines, splitSummary } from "./form-state";

describe("splitLines for names (hostnames, certificate domains)", () => {
  it.each([
    ["a.example\nb.example", ["a.example", "b.example"]],
    ["a.example, b.example,c.example", ["a.example", "b.example", "c.example"]],
    ["a.example b.example *.c.example localhost", ["a.example", "b.example", "*.c.example", "localhost"]],
    ["bücher.example www.bücher.example", ["bücher.example", "www.bücher.example"]],
    // Words that are not names keep their line whole: the schema then says it has a space.
    ["not a domain", ["not a domain"]],
    ["shop.example, my site", ["shop.example", "my site"]],
  ])("reads %j as %j", (text, items) => {
    expect(splitLines(text, { kind: "names" }).items).toEqual(items);
  });

  it("keeps each item's line number", () => {
    expect(splitLines("a.example\n\nb.example c.example", { kind: "names" }).lines).toEqual([1, 3, 3]);
  });
});

describe("splitLines for addresses and plain lines", () => {
  it("splits addresses on spaces, commas and newlines", () => {
    expect(splitLines("10.0.0.0/8 ::1,\n192.0.2.1", { kind: "addresses" }).items).toEqual(["10.0.0.0/8", "::1", "192.0.2.1"]);
  });

  it("splits plain lists only on newlines", () => {
    expect(splitLines("a b, c\n d ").items).toEqual(["a b, c", "d"]);
  });
});

describe("splitSummary", () => {
  it("says what the field made of a line it split", () => {
    expect(splitSummary("a.example, b.example c.example", "names", ["name", "names"])).toBe("Read as 3 names: a.example, b.example, c.example.");
  });

  it("says nothing when each line is one entry", () => {
    expect(splitSummary("a.example\nb.example\n", "names", ["name", "names"])).toBeNull();
    expect(splitSummary("not a domain", "names", ["name", "names"])).toBeNull();
  });
});

describe("fieldErrorsFrom", () => {
  const fields = [
    "name",
    "hostnames",
    "upstreams",
    "loadBalancing.policy",
    "rateLimit",
    "rateLimit.burst",
    "securityHeaders.hsts.maxAge",
    "header-0-name",
  ];

  it("keeps a dotted path whole where a field has that name", () => {
    const { fieldErrors } = fieldErrorsFrom({ "rateLimit.burst": "Too big", rateLimit: "Off", "header-0-name": "Bad name" }, fields);
    expect(fieldErrors).toEqual({ "rateLimit.burst": ["Too big"], rateLimit: ["Off"], "header-0-name": ["Bad name"] });
  });

  it("shows an error for an object without a field at its first field", () => {
    const { fieldErrors } = fieldErrorsFrom({ loadBalancing: "Unknown field", "securityHeaders.hsts": "Bad" }, fields);
    expect(fieldErrors).toEqual({ "loadBalancing.policy": ["Unknown field"], "securityHeaders.hsts.maxAge": ["Bad"] });
  });

  it("marks a list item's error with its line, and a deeper error at the nearest field above it", () => {
    const { fieldErrors } = fieldErrorsFrom({ "hostnames.1": "Twice", "upstreams.0.url": "No port", "rateLimit.extra": "Unknown" }, fields, {
      hostnames: [1, 4],
    });
    expect(fieldErrors).toEqual({ hostnames: ["Line 4: Twice"], upstreams: ["Line 1: No port"], rateLimit: ["Unknown"] });
  });

  it("leaves details for no field of the form unplaced", () => {
    expect(fieldErrorsFrom({ healthCheck: "Bad", _: "Not an object" }, fields).unplaced).toEqual(["Not an object", "Bad"]);
  });
});
