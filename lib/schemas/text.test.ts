import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { accessListInputSchema, accessListPatchSchema } from "./access-list";
import { tokenCreateSchema } from "./auth";
import { certificateInputSchema } from "./certificate";
import { siteInputSchema, sitePatchSchema } from "./site";
import { loneSurrogateDetails, textProblem } from "./text";

describe("textProblem", () => {
  it("accepts ordinary text in any script, emoji included", () => {
    for (const text of ["Company blog", "Grafana (prod)", "Café Zürich", "東京オフィス", "مدونة", "Team 🚀", ""])
      expect(textProblem(text)).toBeNull();
  });

  it("names each kind of character it refuses", () => {
    expect(textProblem("\ud83d")).toMatch(/lone UTF-16 surrogate \(U\+D83D\)/);
    expect(textProblem("a\u0000")).toMatch(/NUL character \(U\+0000\)/);
    expect(textProblem("a\u001b[31m")).toMatch(/control character \(U\+001B\)/);
    expect(textProblem("a\u0085")).toMatch(/control character \(U\+0085\)/);
    for (const override of ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      expect(textProblem(`a${override}b`)).toMatch(/bidirectional override/);
    }
  });
});

describe("every name field", () => {
  const fields: [string, z.ZodType, (name: string) => unknown, string][] = [
    ["site", siteInputSchema, (name) => ({ name, hostnames: ["a.example.com"], upstreams: [{ url: "10.0.0.5" }] }), "name"],
    ["site patch", sitePatchSchema, (name) => ({ name }), "name"],
    ["access list", accessListInputSchema, (name) => ({ name }), "name"],
    ["access list patch", accessListPatchSchema, (name) => ({ name }), "name"],
    [
      "access list user",
      accessListInputSchema,
      (name) => ({ name: "Office", basicAuth: [{ username: name, password: "long enough" }] }),
      "basicAuth.0.username",
    ],
    ["uploaded certificate", certificateInputSchema, (name) => ({ type: "upload", name, certificatePem: "x", privateKeyPem: "y" }), "name"],
    ["self-signed certificate", certificateInputSchema, (name) => ({ type: "self-signed", name, domains: ["a.example.com"] }), "name"],
    ["Let's Encrypt certificate", certificateInputSchema, (name) => ({ type: "acme", name, domains: ["a.example.com"] }), "name"],
    ["API token", tokenCreateSchema, (name) => ({ name }), "name"],
  ];

  it.each(fields)("of a %s goes through the text rule", (_entity, schema, input, path) => {
    for (const bad of ["x\u0000", "x\u202ey", "x\ud800"]) {
      const issues = schema.safeParse(input(bad)).error?.issues ?? [];
      expect(issues.map((issue) => [issue.path.join("."), issue.message])).toContainEqual([
        path,
        `The ${path.endsWith("username") ? "username" : "name"} ${textProblem(bad)}`,
      ]);
    }
    expect(schema.safeParse(input("Plain")).success).toBe(true);
  });
});

describe("loneSurrogateDetails", () => {
  it("names the path of each string or key that holds one", () => {
    expect(loneSurrogateDetails({ a: [1, "ok", "x\udfff"], b: { "\ud800": 1 }, c: "fine" })).toEqual({
      "a.2": "The value contains a lone UTF-16 surrogate (U+DFFF), which is not valid text",
      b: "A field name contains a lone UTF-16 surrogate (U+D800), which is not valid text",
    });
    expect(loneSurrogateDetails("\ud800")).toEqual({ _: expect.stringContaining("U+D800") });
    expect(loneSurrogateDetails({ ok: ["😀"] })).toEqual({});
  });
});
