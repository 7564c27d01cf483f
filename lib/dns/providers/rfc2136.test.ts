import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bind, startBind } from "@/test-support/bind";
import { DnsProviderFailure } from "../dns-provider";
import { parseServer, rfc2136 } from "./rfc2136";

let bind: Bind;
beforeAll(async () => {
  bind = await startBind();
}, 30_000);
afterAll(() => bind?.stop());

const connect = (overrides: { secret?: string; keyName?: string; algorithm?: "hmac-sha256" | "hmac-sha512" } = {}) =>
  rfc2136.connect(
    { server: bind.server, tsigKeyName: overrides.keyName ?? bind.keyName, tsigAlgorithm: overrides.algorithm ?? "hmac-sha256" },
    { tsigSecret: overrides.secret ?? bind.secret },
  );

describe("RFC 2136 updates signed with TSIG, against BIND", () => {
  it("adds two values at one name, then deletes one and keeps the other", async () => {
    const client = connect();
    const name = "_acme-challenge.dns.test";
    const record = (value: string) => ({ fqdn: name, zone: bind.zone, value });
    await client.createTxt(record("first-value"));
    await client.createTxt(record("second-value"));
    expect((await bind.txt(name)).sort()).toEqual(["first-value", "second-value"]);
    await client.deleteTxt(record("first-value"));
    expect(await bind.txt(name)).toEqual(["second-value"]);
    await client.deleteTxt(record("second-value"));
    await client.deleteTxt(record("second-value")); // already gone: not an error
    expect(await bind.txt(name)).toEqual([]);
  });

  it("says in plain words when the secret, the key or the zone is wrong", async () => {
    const record = { fqdn: "_acme-challenge.dns.test", zone: bind.zone, value: "v" };
    const failure = (promise: Promise<void>) =>
      promise.then(
        () => null,
        (error: unknown) => error as DnsProviderFailure,
      );

    const badSecret = await failure(connect({ secret: Buffer.from("not the secret").toString("base64") }).createTxt(record));
    expect(badSecret).toBeInstanceOf(DnsProviderFailure);
    expect(badSecret?.message).toBe(
      `The DNS server at ${bind.server} rejected the signature: the TSIG secret of key "acme-key" does not match the server's`,
    );

    const badKey = await failure(connect({ keyName: "other-key" }).createTxt(record));
    expect(badKey?.message).toMatch(/does not know the TSIG key "other-key" with algorithm hmac-sha256/);

    const badAlgorithm = await failure(connect({ algorithm: "hmac-sha512" }).createTxt(record));
    expect(badAlgorithm?.message).toMatch(/does not know the TSIG key "acme-key" with algorithm hmac-sha512/);

    const otherZone = await failure(connect().createTxt({ ...record, fqdn: "_acme-challenge.other.test", zone: "other.test" }));
    expect(otherZone?.message).toBe(
      `The DNS server at ${bind.server} is not the primary server of other.test: point the provider at the zone's primary`,
    );

    const outsideZone = await failure(connect().createTxt({ ...record, fqdn: "_acme-challenge.other.test" }));
    expect(outsideZone?.message).toBe(`_acme-challenge.other.test is not in the zone dns.test that the DNS server at ${bind.server} serves`);
    expect(await bind.txt("_acme-challenge.dns.test")).toEqual([]);
  });

  it("says so when nothing answers at the server's address", async () => {
    const client = rfc2136.connect({ server: "127.0.0.1:1", tsigKeyName: "k", tsigAlgorithm: "hmac-sha256" }, { tsigSecret: bind.secret });
    await expect(client.createTxt({ fqdn: "_acme-challenge.dns.test", zone: "dns.test", value: "v" })).rejects.toThrow(
      "Could not reach the DNS server at 127.0.0.1:1",
    );
  });
});

describe("the server setting", () => {
  it.each([
    ["ns1.example.com", { host: "ns1.example.com", port: 53 }],
    ["127.0.0.1:5353", { host: "127.0.0.1", port: 5353 }],
    ["::1", { host: "::1", port: 53 }],
    ["[::1]:5353", { host: "::1", port: 5353 }],
    ["ns1.example.com:0", null],
    ["ns1 example", null],
    ["", null],
  ])("%j", (text, expected) => {
    expect(parseServer(text)).toEqual(expected);
  });

  it("refuses a bad server or secret with the field's own message", () => {
    const parsed = rfc2136.settings.safeParse({ server: "a b", tsigKeyName: "" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["server", "tsigKeyName"]);
    expect(rfc2136.credentials.safeParse({ tsigSecret: "not base64!" }).error?.issues[0]?.message).toMatch(/base64/);
  });
});
