import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bind, startBind } from "@/test-support/bind";
import { challengeRecordName, type DnsLookup, dnsLookupFromEnv, waitUntilServed } from "./authoritative";
import { rfc2136 } from "./providers/rfc2136";

let bind: Bind;
let lookup: DnsLookup;
beforeAll(async () => {
  bind = await startBind({ records: ["_acme-challenge.delegated CNAME challenges.dns.test."] });
  lookup = { servers: [bind.server], authoritativePort: bind.port };
}, 30_000);
afterAll(() => bind?.stop());

describe("where a challenge's TXT record goes", () => {
  it("is _acme-challenge under the name, in the zone that holds it, for a wildcard too", async () => {
    expect(await challengeRecordName("dns.test", lookup)).toEqual({ fqdn: "_acme-challenge.dns.test", zone: "dns.test" });
    expect(await challengeRecordName("*.dns.test", lookup)).toEqual({ fqdn: "_acme-challenge.dns.test", zone: "dns.test" });
    expect(await challengeRecordName("a.b.dns.test", lookup)).toEqual({ fqdn: "_acme-challenge.a.b.dns.test", zone: "dns.test" });
  });

  it("follows a CNAME that delegates the challenge", async () => {
    expect(await challengeRecordName("delegated.dns.test", lookup)).toEqual({ fqdn: "challenges.dns.test", zone: "dns.test" });
  });

  it("says so when the resolver refuses or does not answer", async () => {
    // BIND serves only its own zone here, and refuses any other name.
    await expect(challengeRecordName("nowhere.invalid", lookup)).rejects.toThrow(
      "Could not look up _acme-challenge.nowhere.invalid: the DNS resolver gave no answer",
    );
    await expect(challengeRecordName("dns.test", { servers: ["127.0.0.1:1"], authoritativePort: 53 })).rejects.toThrow(
      "Could not look up _acme-challenge.dns.test: the DNS resolver gave no answer",
    );
  });
});

describe("waiting until the zone's servers answer the record", () => {
  const client = () => rfc2136.connect({ server: bind.server, tsigKeyName: bind.keyName, tsigAlgorithm: "hmac-sha256" }, { tsigSecret: bind.secret });
  const record = { fqdn: "_acme-challenge.wait.dns.test", zone: "dns.test", value: "expected-value" };

  it("returns the servers once every one of them answers the value", async () => {
    const created = client().createTxt(record);
    const served = waitUntilServed(record, lookup, { timeoutMs: 10_000, intervalMs: 100 });
    await created;
    expect(await served).toEqual(["ns.dns.test"]);
    await client().deleteTxt(record);
  });

  it("names the servers that do not answer it in time", async () => {
    await expect(waitUntilServed({ ...record, value: "never-created" }, lookup, { timeoutMs: 300, intervalMs: 100 })).rejects.toThrow(
      "The TXT record _acme-challenge.wait.dns.test did not appear on ns.dns.test within 0 seconds",
    );
  });
});

describe("dnsLookupFromEnv", () => {
  it("reads DNS_SERVERS and DNS_AUTHORITATIVE_PORT, defaulting to the system's resolvers and port 53", () => {
    expect(dnsLookupFromEnv({})).toEqual({ authoritativePort: 53 });
    expect(dnsLookupFromEnv({ DNS_SERVERS: "127.0.0.1:5353", DNS_AUTHORITATIVE_PORT: "5353" })).toEqual({
      servers: ["127.0.0.1:5353"],
      authoritativePort: 5353,
    });
    expect(dnsLookupFromEnv({ DNS_AUTHORITATIVE_PORT: "99999" })).toEqual({ authoritativePort: 53 });
  });
});
