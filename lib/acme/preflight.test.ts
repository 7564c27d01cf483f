import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { startPebble, type Pebble } from "@/test-support/pebble";
import { dnsServersFromEnv, preflightHostname, preflightHostnames, type PreflightOptions } from "./preflight";

/** Pre-flight against real DNS (pebble-challtestsrv) and a real HTTP server standing in for the proxy. */

const probe = { token: "probe-token_1", expected: "probe-token_1.expected-value" };
let pebble: Pebble;
let proxy: http.Server;
let options: PreflightOptions;

beforeAll(async () => {
  proxy = http.createServer((request, response) => {
    if (request.url === `/.well-known/acme-challenge/${probe.token}`) response.end(probe.expected);
    else response.writeHead(404).end("no such token");
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const httpPort = (proxy.address() as AddressInfo).port;
  pebble = await startPebble({ httpPort });
  options = { httpPort, probe, dnsServers: [pebble.dnsServer], timeoutMs: 2_000 };
  await pebble.pointHost("elsewhere.test", ["127.0.0.2"]);
}, 60_000);

afterAll(async () => {
  await pebble?.stop();
  proxy?.close();
});

describe("preflightHostname", () => {
  it("reports a name that reaches this proxy", async () => {
    expect(await preflightHostname("Shop.Test.", options)).toEqual({
      hostname: "shop.test",
      ok: true,
      addresses: ["127.0.0.1"],
      message: "shop.test reaches this proxy",
    });
  });

  it("reports a name that resolves somewhere else", async () => {
    expect(await preflightHostname("elsewhere.test", options)).toEqual({
      hostname: "elsewhere.test",
      ok: false,
      addresses: ["127.0.0.2"],
      message: "elsewhere.test resolves to 127.0.0.2, not to this server",
    });
  });

  it("reports another program answering on this server's HTTP port", async () => {
    const result = await preflightHostname("shop.test", { ...options, probe: { token: "other", expected: "x" } });
    expect(result).toMatchObject({
      ok: false,
      message: `port ${options.httpPort} on shop.test did not reach this proxy: another server answered (HTTP 404)`,
    });
  });

  it("reports a closed HTTP port on this server", async () => {
    const closed = await unusedPort();
    const result = await preflightHostname("shop.test", { ...options, httpPort: closed });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^port ${closed} on shop\\.test did not reach this proxy: the connection was refused`));
  });

  it("reports a wildcard without looking it up", async () => {
    expect(await preflightHostname("*.shop.test", options)).toEqual({
      hostname: "*.shop.test",
      ok: false,
      addresses: [],
      message: "*.shop.test is a wildcard: only a DNS challenge can prove it, so there is nothing to check on port 80",
    });
  });

  it("reports a name that does not resolve (system resolver)", async () => {
    const { dnsServers: _none, ...system } = options;
    expect(await preflightHostname("nothing-here.invalid", system)).toMatchObject({
      ok: false,
      addresses: [],
      message: "nothing-here.invalid does not resolve",
    });
  });

  it("uses the system resolver when no DNS servers are set", async () => {
    const { dnsServers: _none, ...system } = options;
    expect(await preflightHostname("localhost", system)).toMatchObject({ ok: true, message: "localhost reaches this proxy" });
  });

  it("reports a DNS server that does not answer, and never throws", async () => {
    const result = await preflightHostname("shop.test", { ...options, dnsServers: [`127.0.0.1:${await unusedPort()}`], timeoutMs: 1_000 });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^shop\.test (could not be looked up: the DNS server did not answer|does not resolve)/);
  });
});

describe("preflightHostnames", () => {
  it("checks every name, keeping their order", async () => {
    const results = await preflightHostnames(["a.test", "elsewhere.test", "*.b.test"], options);
    expect(results.map((result) => [result.hostname, result.ok])).toEqual([
      ["a.test", true],
      ["elsewhere.test", false],
      ["*.b.test", false],
    ]);
  });
});

describe("dnsServersFromEnv", () => {
  it.each([
    [{}, undefined],
    [{ DNS_SERVERS: "" }, undefined],
    [{ DNS_SERVERS: "127.0.0.1:8053" }, ["127.0.0.1:8053"]],
    [{ DNS_SERVERS: " 10.0.0.2 , [::1]:53 " }, ["10.0.0.2", "[::1]:53"]],
  ])("%j", (env, expected) => {
    expect(dnsServersFromEnv(env)).toEqual(expected);
  });
});
