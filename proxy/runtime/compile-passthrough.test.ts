import { describe, expect, it } from "vitest";
import { testSite, testSnapshot } from "@/test-support/snapshots";
import { BasicAuthVerifier } from "../security/basic-auth";
import { compileSnapshot } from "./compile-snapshot";
import { PASSTHROUGH_IDLE_TIMEOUT_MS } from "./compile-passthrough";
import type { ProxyRuntime } from "./runtime-types";

const verifier = new BasicAuthVerifier();

function compiled(snapshot: ReturnType<typeof testSnapshot>, previous: ProxyRuntime | null = null): ProxyRuntime {
  const result = compileSnapshot(snapshot, { previous, verifier });
  if (!result.ok) throw new Error(result.error);
  return result.runtime;
}

const pass = (upstreams: string[], extra: Partial<Parameters<typeof testSite>[0]> = {}) =>
  testSite({ id: "pass", hostnames: ["*.pass.test", "pass.test"], upstreams, tlsMode: "passthrough", proxyProtocol: true, ...extra });

describe("compiling a pass-through site", () => {
  it("gives it a TCP route (no HTTP upstreams) found by exact and wildcard names", () => {
    const runtime = compiled(testSnapshot(1, [pass(["tcp://127.0.0.1:8443", "tcp://[::1]:8443"])]));
    const site = runtime.sites.get("pass")!;
    expect(site.upstreams).toEqual([]);
    expect(site.passthrough).toMatchObject({ id: "pass", proxyProtocol: true, idleTimeoutMs: PASSTHROUGH_IDLE_TIMEOUT_MS });
    expect(site.passthrough!.group.upstreams.map(({ host, port }) => [host, port])).toEqual([
      ["127.0.0.1", 8443],
      ["::1", 8443],
    ]);
    expect(runtime.router.matchHostname("a.b.pass.test")).toBe(site);
    expect(runtime.router.matchHostname("pass.test")).toBe(site);
  });

  it("keeps the load-balancing state across a reload that changes neither policy nor upstreams, and not otherwise", () => {
    const first = compiled(testSnapshot(1, [pass(["tcp://127.0.0.1:8443"])]));
    const same = compiled(testSnapshot(2, [pass(["tcp://127.0.0.1:8443"], { name: "renamed" })]), first);
    expect(same.sites.get("pass")!.passthrough!.group.policy).toBe(first.sites.get("pass")!.passthrough!.group.policy);
    const moved = compiled(testSnapshot(3, [pass(["tcp://127.0.0.1:9443"])]), same);
    expect(moved.sites.get("pass")!.passthrough!.group.policy).not.toBe(same.sites.get("pass")!.passthrough!.group.policy);
  });

  it("switches to and from terminating TLS", () => {
    const terminated = compiled(testSnapshot(1, [testSite({ id: "pass", hostnames: ["pass.test"], upstreams: ["http://127.0.0.1:8080"] })]));
    expect(terminated.sites.get("pass")!.passthrough).toBeNull();
    const passed = compiled(testSnapshot(2, [pass(["tcp://127.0.0.1:8443"])]), terminated);
    expect(passed.sites.get("pass")!.passthrough).not.toBeNull();
    const back = compiled(testSnapshot(3, [testSite({ id: "pass", hostnames: ["pass.test"], upstreams: ["http://127.0.0.1:8080"] })]), passed);
    expect(back.sites.get("pass")!.passthrough).toBeNull();
    expect(back.sites.get("pass")!.upstreams).toHaveLength(1);
  });

  it("refuses an upstream that is not tcp:// with a reason, and the site keeps its previous version", () => {
    const first = compiled(testSnapshot(1, [pass(["tcp://127.0.0.1:8443"])]));
    const result = compileSnapshot(testSnapshot(2, [pass(["http://127.0.0.1:8443"])]), { previous: first, verifier });
    if (!result.ok) throw new Error(result.error);
    expect(result.siteErrors.pass).toMatch(/must be tcp:\/\/host:port or udp:\/\/host:port/);
    expect(result.runtime.sites.get("pass")).toBe(first.sites.get("pass"));
  });
});
