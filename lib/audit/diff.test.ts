import { describe, expect, it } from "vitest";
import { diffObjects } from "./diff";

describe("diffObjects", () => {
  it("names each changed field by path, lists of plain values whole, and leaves out what changes by itself", () => {
    const before = {
      name: "Blog",
      hostnames: ["a.test"],
      upstreams: [{ id: "u1", url: "http://127.0.0.1:1" }],
      healthCheck: { intervalSeconds: 10 },
      updatedAt: "t1",
    };
    const after = {
      name: "Blog",
      hostnames: ["a.test", "b.test"],
      upstreams: [{ id: "u2", url: "http://127.0.0.1:2" }],
      healthCheck: { intervalSeconds: 30 },
      updatedAt: "t2",
    };
    expect(diffObjects(before, after)).toEqual([
      { field: "hostnames", before: ["a.test"], after: ["a.test", "b.test"] },
      { field: "upstreams.0.url", before: "http://127.0.0.1:1", after: "http://127.0.0.1:2" },
      { field: "healthCheck.intervalSeconds", before: 10, after: 30 },
    ]);
  });

  it("shows a creation and a deletion as every field from or to nothing", () => {
    expect(diffObjects(null, { name: "Blog", redirect: null })).toEqual([{ field: "name", before: null, after: "Blog" }]);
    expect(diffObjects({ name: "Blog" }, null)).toEqual([{ field: "name", before: "Blog", after: null }]);
    expect(diffObjects({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
