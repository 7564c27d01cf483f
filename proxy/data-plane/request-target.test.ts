import { describe, expect, it } from "vitest";
import { forwardableTarget, upstreamTarget } from "./request-target";

describe("forwardableTarget", () => {
  it.each([
    "/",
    "/a/b?c=d&e",
    "/a/%2e/b",
    "/a/%2E/b/./c",
    "//double//slashes",
    "/a?next=/b/../c",
    "/a?q=%zz-is-the-app's-business",
    '/search?q={"json":[1,2]}|x^y`z',
    "/caf\u00e9/\u65e5\u672c",
    "/a;matrix=1/b",
  ])("passes %s on exactly as sent", (target) => {
    expect(forwardableTarget(target, "app.test")).toBe(target);
  });

  it.each([
    ["/\\x/y", "a backslash, which URL parsers turn into a slash"],
    ["/a\\b", "a backslash inside the path"],
    ["/\\<x", "a backslash and an angle bracket"],
    ["/\\x:99999/y", "a backslash that a URL parser reads as a host and port"],
    ["/a#frag", "a fragment"],
    ["/a%zz/b", "a broken escape in the path"],
    ["/a%2/b", "a short escape in the path"],
    ["/../etc/passwd", "a parent segment"],
    ["/a/%2e%2e/b", "an encoded parent segment"],
    ["/a/.%2E", "a half-encoded parent segment at the end"],
    ["*", "the asterisk form"],
    ["a/b", "no leading slash"],
    ["", "an empty target"],
    ["http://other.test/x", "an absolute form naming another host"],
    ["ftp://app.test/x", "an absolute form of another scheme"],
  ])("refuses %s (%s)", (target) => {
    expect(forwardableTarget(target, "app.test")).toBeNull();
  });

  it("turns the absolute form for the request's own host into origin form, exactly", () => {
    expect(forwardableTarget("http://App.Test:8080/a/%2e/b?x=1", "app.test:8080")).toBe("/a/%2e/b?x=1");
    expect(forwardableTarget("https://app.test", "app.test")).toBe("/");
    expect(forwardableTarget("http://app.test?x=1", "app.test")).toBe("/?x=1");
  });
});

describe("upstreamTarget", () => {
  it("puts the upstream's path in front, without doubling the slash", () => {
    expect(upstreamTarget("/", "/x?y")).toBe("/x?y");
    expect(upstreamTarget("/base", "/x?y")).toBe("/base/x?y");
    expect(upstreamTarget("/base/", "/")).toBe("/base/");
    expect(upstreamTarget("/base/", "//x")).toBe("/base//x");
  });
});
