import { describe, expect, it } from "vitest";
import { HeaderListBuilder } from "./header-list";
import { NO_EDITS, type HeaderEdits } from "../security/header-plan";

const edits: HeaderEdits = {
  defaults: [
    ["x-frame-options", "SAMEORIGIN"],
    ["referrer-policy", "no-referrer"],
  ],
  set: [["x-team", "blue"]],
  remove: ["x-secret"],
};

describe("HeaderListBuilder", () => {
  it("leaves out hop-by-hop headers and those Connection names, never the framing headers or Host", () => {
    const builder = new HeaderListBuilder("keep-alive, x-private, content-length, host, Transfer-Encoding", new Set(), NO_EDITS);
    for (const [name, value] of [
      ["connection", "x"],
      ["keep-alive", "5"],
      ["te", "trailers"],
      ["x-private", "1"],
      ["content-length", "3"],
      ["host", "a.example"],
      ["transfer-encoding", "chunked"],
      ["accept", "*/*"],
    ] as const) {
      builder.add(name, value);
    }
    expect(builder.finish()).toEqual(["content-length", "3", "host", "a.example", "transfer-encoding", "chunked", "accept", "*/*"]);
  });

  it("applies the site's edits to the source and the proxy's own headers, and puts the proxy's hop last", () => {
    const builder = new HeaderListBuilder(undefined, new Set(["server"]), edits);
    builder.add("server", "nginx/1.2");
    builder.add("x-secret", "s");
    builder.add("x-team", "red");
    builder.add("referrer-policy", "origin");
    builder.add("set-cookie", ["a=1", "b=2"]);
    builder.addOwn("x-secret", "own");
    expect(builder.finish("connection", "close")).toEqual([
      "referrer-policy",
      "origin",
      "set-cookie",
      "a=1",
      "set-cookie",
      "b=2",
      "x-frame-options",
      "SAMEORIGIN",
      "x-team",
      "blue",
      "connection",
      "close",
    ]);
  });
});
