import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { CompiledAccessList, type AccessListRules, type AccessVerdict } from "./access-list";
import { BasicAuthVerifier, parseBasicAuth, type BasicAuthUser } from "./basic-auth";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let users: BasicAuthUser[];
beforeAll(async () => {
  users = [{ username: "ann", passwordHash: await hashPassword("correct horse") }];
});

function list(rules: Partial<AccessListRules>): CompiledAccessList {
  return new CompiledAccessList({ id: "acl1", name: "Office", allow: [], deny: [], users: [], satisfy: "all", ...rules }, new BasicAuthVerifier());
}

const judge = async (acl: CompiledAccessList, ip: string, authorization?: string): Promise<AccessVerdict["outcome"]> =>
  (await acl.judge(ip, authorization)).outcome;

describe("parseBasicAuth", () => {
  it.each([
    [basic("ann", "p:w"), { username: "ann", password: "p:w" }],
    [`basic ${Buffer.from("ann:").toString("base64")}`, { username: "ann", password: "" }],
    ["Bearer abc", null],
    [`Basic ${Buffer.from(":pw").toString("base64")}`, null],
    [`Basic ${Buffer.from("nocolon").toString("base64")}`, null],
    ["Basic !!!", null],
    [undefined, null],
  ])("%s", (header, expected) => {
    expect(parseBasicAuth(header)).toEqual(expected);
  });
});

describe("CompiledAccessList", () => {
  it("IP rules only: deny wins, an allow list keeps everyone else out", async () => {
    const acl = list({ allow: ["10.0.0.0/8", "2001:db8::/32"], deny: ["10.6.6.6"] });
    expect(await judge(acl, "10.1.2.3")).toBe("pass");
    expect(await judge(acl, "2001:db8::9")).toBe("pass");
    expect(await judge(acl, "10.6.6.6")).toBe("forbidden");
    expect(await judge(acl, "192.0.2.1")).toBe("forbidden");
  });

  it("a deny list alone lets everyone else in", async () => {
    const acl = list({ deny: ["192.0.2.0/24"] });
    expect(await judge(acl, "192.0.2.44")).toBe("forbidden");
    expect(await judge(acl, "198.51.100.1")).toBe("pass");
  });

  it("users and 'all': an allowed address must still log in; others are refused outright", async () => {
    const acl = list({ allow: ["10.0.0.0/8"], users, satisfy: "all" });
    expect(await judge(acl, "10.1.1.1")).toBe("login");
    expect(await judge(acl, "10.1.1.1", basic("ann", "wrong"))).toBe("login");
    expect(await judge(acl, "10.1.1.1", basic("ann", "correct horse"))).toBe("pass");
    expect(await judge(acl, "192.0.2.1", basic("ann", "correct horse"))).toBe("forbidden");
  });

  it("users and 'any': an allowed address comes in without a password, others log in", async () => {
    const acl = list({ allow: ["10.0.0.0/8"], deny: ["192.0.2.66"], users, satisfy: "any" });
    expect(await judge(acl, "10.1.1.1")).toBe("pass");
    expect(await judge(acl, "192.0.2.1")).toBe("login");
    expect(await judge(acl, "192.0.2.1", basic("ann", "correct horse"))).toBe("pass");
    expect(await judge(acl, "192.0.2.1", basic("bob", "correct horse"))).toBe("login");
    expect(await judge(acl, "192.0.2.66", basic("ann", "correct horse"))).toBe("forbidden");
  });

  it("users without IP rules: everyone logs in", async () => {
    const acl = list({ users, satisfy: "any" });
    expect(await judge(acl, "10.1.1.1")).toBe("login");
    expect(await judge(acl, "10.1.1.1", basic("ann", "correct horse"))).toBe("pass");
  });

  it("answers without a promise when no password is involved", () => {
    const acl = list({ deny: ["192.0.2.0/24"] });
    expect(acl.judge("192.0.2.1", undefined)).toEqual({ outcome: "forbidden" });
  });

  it("admits a connection without a login only by address: deny wins, an allow list or users keep others out", () => {
    const office = list({ allow: ["10.0.0.0/8"], deny: ["10.9.9.9"] });
    expect(["10.1.2.3", "10.9.9.9", "192.0.2.1"].map((ip) => office.admitsWithoutLogin(ip))).toEqual([true, false, false]);
    expect(list({ deny: ["192.0.2.1"] }).admitsWithoutLogin("::1")).toBe(true);
    expect(list({ users, allow: ["10.0.0.0/8"], satisfy: "any" }).admitsWithoutLogin("10.0.0.1")).toBe(true);
    expect(list({ users, allow: ["10.0.0.0/8"], satisfy: "any" }).admitsWithoutLogin("192.0.2.1")).toBe(false);
    expect(list({ users, allow: ["10.0.0.0/8"], satisfy: "all" }).admitsWithoutLogin("10.0.0.1")).toBe(false);
    expect(list({ users }).admitsWithoutLogin("10.0.0.1")).toBe(false);
  });

  it("names the realm after the list, without quotes that would break the header", async () => {
    const acl = list({ name: 'Staff "only"\r\n', users });
    expect(await acl.judge("10.1.1.1", undefined)).toEqual({ outcome: "login", realm: "Staff only" });
  });
});

describe("BasicAuthVerifier", () => {
  it("remembers outcomes, so a repeated header does not run the slow hash again", async () => {
    const verifier = new BasicAuthVerifier();
    const header = basic("ann", "correct horse");
    const first = performance.now();
    expect(await verifier.verify("acl1", users, header)).toBe("ok");
    const slow = performance.now() - first;
    const second = performance.now();
    expect(await verifier.verify("acl1", users, header)).toBe("ok");
    expect(performance.now() - second).toBeLessThan(slow);
  });

  it("does not carry a success over to another list or another hash", async () => {
    const verifier = new BasicAuthVerifier();
    const header = basic("ann", "correct horse");
    expect(await verifier.verify("acl1", users, header)).toBe("ok");
    const changed = [{ username: "ann", passwordHash: await hashPassword("new password") }];
    expect(await verifier.verify("acl1", changed, header)).toBe("wrong");
  });

  it("turns guesses away once too many wait for the hash", async () => {
    const verifier = new BasicAuthVerifier();
    const outcomes = await Promise.all(Array.from({ length: 80 }, (_, i) => verifier.verify("acl1", users, basic("ann", `guess ${i}`))));
    expect(outcomes.filter((o) => o === "busy").length).toBe(80 - 4 - 64);
    expect(outcomes.filter((o) => o === "wrong").length).toBe(68);
  }, 60_000);
});
