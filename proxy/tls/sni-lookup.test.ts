import { afterAll, beforeAll, expect, it } from "vitest";
import { TestCertificateFactory } from "@/test-support/certs";
import { testCertificate } from "@/test-support/snapshots";
import type { SnapshotCertificate } from "@/lib/schemas/snapshot";
import { HostRouter } from "../routing/host-router";
import { SniLookup } from "./sni-lookup";

let certs: TestCertificateFactory;
let alpha: SnapshotCertificate;
let beta: SnapshotCertificate;
let wildcard: SnapshotCertificate;

beforeAll(() => {
  certs = new TestCertificateFactory();
  alpha = testCertificate("alpha", certs.selfSigned(["alpha.test"]));
  beta = testCertificate("beta", certs.selfSigned(["beta.test", "www.beta.test"]));
  wildcard = testCertificate("wild", certs.selfSigned(["*.wild.test"]));
});
afterAll(() => certs.cleanup());

it("prefers the routing site's certificate, then certificate domains, then none (the fallback)", () => {
  const router = new HostRouter([
    // A site may route a name its certificate does not list: the site's choice wins.
    { hostnames: ["alpha.test", "shared.test"], certificate: alpha },
    { hostnames: ["*.sites.test"], certificate: beta },
    { hostnames: ["plain.test"], certificate: null },
  ]);
  const lookup = new SniLookup(router, [beta, wildcard]);
  const table: Array<[string, SnapshotCertificate | null]> = [
    ["alpha.test", alpha],
    ["ALPHA.test.", alpha],
    ["shared.test", alpha],
    ["x.sites.test", beta],
    ["www.beta.test", beta],
    ["beta.test", beta],
    ["a.wild.test", wildcard],
    // a certificate wildcard covers one label only
    ["a.b.wild.test", null],
    ["wild.test", null],
    // a site without a certificate, and names nobody knows
    ["plain.test", null],
    ["unknown.test", null],
    ["bad/name", null],
  ];
  for (const [name, expected] of table) expect(lookup.certificateFor(name), name).toBe(expected);
});
