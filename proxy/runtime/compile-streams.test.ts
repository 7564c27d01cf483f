import { describe, expect, it } from "vitest";
import { testSnapshot } from "@/test-support/snapshots";
import { testStream } from "@/test-support/stream-snapshots";
import { snapshotChanges } from "@/lib/config/snapshot-changes";
import { BasicAuthVerifier } from "../security/basic-auth";
import { compileChanges, compileSnapshot, type CompileSnapshotResult } from "./compile-snapshot";
import type { ProxyRuntime } from "./runtime-types";

const verifier = new BasicAuthVerifier();

function compiled(result: CompileSnapshotResult | "stale"): ProxyRuntime {
  if (result === "stale" || !result.ok) throw new Error(`expected success, got: ${JSON.stringify(result)}`);
  return result.runtime;
}

const list = { id: "l1", name: "Office", allow: ["10.0.0.0/8"], deny: ["10.9.9.9"], satisfy: "any" as const, users: [] };

describe("streams in the runtime", () => {
  it("compiles TCP, UDP and both: UDP picks by the client's address, TCP by the stream's policy", () => {
    const runtime = compiled(
      compileSnapshot(
        testSnapshot(1, [], [], {
          streams: [
            testStream({
              id: "t",
              listenPort: 5432,
              upstreams: ["tcp://127.0.0.1:1", "tcp://127.0.0.1:2"],
              idleTimeoutSeconds: 30,
              proxyProtocol: true,
            }),
            testStream({ id: "u", listenPort: 53, protocol: "udp", upstreams: ["udp://127.0.0.1:3"] }),
            testStream({ id: "b", listenPort: 853, protocol: "both", upstreams: ["tcp://127.0.0.1:4"] }),
          ],
        }),
        { previous: null, verifier },
      ),
    );
    const t = runtime.streams.get("t")!;
    expect(t).toMatchObject({ listenPort: 5432, idleTimeoutMs: 30_000, proxyProtocol: true, udp: null, access: null });
    expect(t.tcp?.upstreams.map((u) => [u.host, u.port])).toEqual([
      ["127.0.0.1", 1],
      ["127.0.0.1", 2],
    ]);
    expect(runtime.streams.get("u")).toMatchObject({ tcp: null, udp: { policyKey: expect.stringContaining("ip_hash") } });
    // A stream serving both with tcp:// upstreams only sends its UDP to the same hosts and ports.
    expect(runtime.streams.get("b")?.udp?.upstreams.map((u) => u.port)).toEqual([4]);
    expect(runtime.streamErrors).toEqual({});
  });

  it("reports a broken stream by id while the others and the sites compile", () => {
    const result = compileSnapshot(
      testSnapshot(1, [], [], {
        streams: [
          testStream({ id: "ok", listenPort: 1000, upstreams: ["tcp://127.0.0.1:1"] }),
          testStream({ id: "no-list", listenPort: 1001, upstreams: ["tcp://127.0.0.1:1"], accessListId: "gone" }),
          { id: "garbled", listenPort: "not a port" } as never,
        ],
      }),
      { previous: null, verifier },
    );
    const runtime = compiled(result);
    expect([...runtime.streams.keys()]).toEqual(["ok"]);
    expect(runtime.streamErrors).toEqual({
      "no-list": "The access list chosen for this stream is missing from the configuration.",
      garbled: expect.stringMatching(/^The stream's configuration is invalid: /),
    });
  });

  it("judges by address rules only, refusing whom the list would ask to log in", () => {
    const withUsers = { ...list, id: "l2", users: [{ username: "ann", passwordHash: "x" }] };
    const runtime = compiled(
      compileSnapshot(
        testSnapshot(1, [], [], {
          accessLists: [list, withUsers, { ...withUsers, id: "l3", satisfy: "all" }],
          streams: [
            testStream({ id: "a", listenPort: 1, upstreams: ["tcp://127.0.0.1:1"], accessListId: "l1" }),
            testStream({ id: "b", listenPort: 2, upstreams: ["tcp://127.0.0.1:1"], accessListId: "l2" }),
            testStream({ id: "c", listenPort: 3, upstreams: ["tcp://127.0.0.1:1"], accessListId: "l3" }),
          ],
        }),
        { previous: null, verifier },
      ),
    );
    const admits = (id: string, ip: string) => runtime.streams.get(id)!.access!.admitsWithoutLogin(ip);
    expect([admits("a", "10.1.1.1"), admits("a", "10.9.9.9"), admits("a", "192.0.2.1")]).toEqual([true, false, false]);
    // "any": an allowed address needs no login; everyone else would, and cannot.
    expect([admits("b", "10.1.1.1"), admits("b", "192.0.2.1")]).toEqual([true, false]);
    // "all": everyone must log in, so nobody gets in.
    expect(admits("c", "10.1.1.1")).toBe(false);
  });

  it("keeps a stream's previous version when its change breaks it, and the policy's state when its upstreams stay", () => {
    const first = testSnapshot(1, [], [], {
      accessLists: [list],
      streams: [
        testStream({ id: "s", listenPort: 1, upstreams: ["tcp://127.0.0.1:1", "tcp://127.0.0.1:2"] }),
        testStream({ id: "r", listenPort: 2, upstreams: ["tcp://127.0.0.1:1"] }),
      ],
    });
    const before = compiled(compileSnapshot(first, { previous: null, verifier }));
    const second = testSnapshot(2, [], [], {
      accessLists: [list],
      streams: [
        testStream({ id: "s", listenPort: 1, upstreams: ["tcp://127.0.0.1:1", "tcp://127.0.0.1:2"], idleTimeoutSeconds: 5 }),
        testStream({ id: "r", listenPort: 2, upstreams: ["tcp://127.0.0.1:1"], accessListId: "missing" }),
      ],
    });
    const after = compiled(compileChanges(snapshotChanges(first, second), { previous: before, verifier }));
    expect(after.streams.get("s")?.idleTimeoutMs).toBe(5_000);
    expect(after.streams.get("s")?.tcp?.policy).toBe(before.streams.get("s")?.tcp?.policy);
    expect(after.streams.get("r")).toBe(before.streams.get("r"));
    expect(after.streamErrors.r).toMatch(/missing from the configuration\. The stream keeps serving its previous configuration\.$/);
  });
});
