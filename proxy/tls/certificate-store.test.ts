import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificateFactory, type TestCertificate } from "@/test-support/certs";
import { testCertificate, testCertificateMaterial } from "@/test-support/snapshots";
import type { CertificateMaterial, SnapshotCertificate } from "@/lib/schemas/snapshot";
import { buildSecureContext, type SecureContextResult } from "./build-secure-context";
import { CertificateStore, type MaterialSource } from "./certificate-store";

let certs: TestCertificateFactory;
let alpha: TestCertificate;
let beta: TestCertificate;
let chained: TestCertificate;
let rsa: TestCertificate;

beforeAll(() => {
  certs = new TestCertificateFactory();
  alpha = certs.selfSigned(["alpha.test"]);
  beta = certs.selfSigned(["beta.test", "www.beta.test"]);
  chained = certs.caSigned(["chained.test"]);
  rsa = certs.selfSigned(["rsa.test"], "rsa-2048");
});
afterAll(() => certs.cleanup());

/** The test source, counting how often each certificate was fetched. */
function countingSource(): { source: MaterialSource; fetches: Map<string, number> } {
  const fetches = new Map<string, number>();
  return {
    fetches,
    source: (id) => {
      fetches.set(id, (fetches.get(id) ?? 0) + 1);
      return testCertificateMaterial(id);
    },
  };
}

async function built(result: SecureContextResult | Promise<SecureContextResult>): Promise<SecureContextResult> {
  return result;
}

describe("buildSecureContext", () => {
  it("builds a context from a certificate, its chain and key, RSA and EC", () => {
    expect(buildSecureContext(alpha).ok).toBe(true);
    expect(buildSecureContext(chained).ok).toBe(true);
    expect(buildSecureContext(rsa).ok).toBe(true);
  });

  it.each([
    ["garbage certificate", () => ({ ...alpha, certificatePem: "not a pem" }), /not a valid PEM certificate/],
    ["garbage key", () => ({ ...alpha, privateKeyPem: "not a key" }), /not a valid PEM private key/],
    ["key of another certificate", () => certs.mismatchedKey(["x.test"]), /does not belong to this certificate/],
    ["garbage chain", () => ({ ...alpha, chainPem: "junk" }), /chain is not valid PEM/],
  ])("explains a %s in plain words", (_name, make, message) => {
    const result = buildSecureContext(make());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe("CertificateStore", () => {
  it("builds a certificate when a handshake first asks, once, however many ask at the same time", async () => {
    const { source, fetches } = countingSource();
    const store = new CertificateStore(source);
    const a = testCertificate("a", alpha);
    expect(store.size).toBe(0);
    const [one, two] = await Promise.all([built(store.context(a)), built(store.context(a))]);
    expect(one.ok && two.ok && one.context === two.context).toBe(true);
    // Once built, the answer is immediate (no promise): the handshake does not wait.
    const again = store.context(a);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toBe(one);
    expect(fetches.get("a")).toBe(1);
  });

  it("keeps at most its capacity, dropping the least recently used", async () => {
    const { source, fetches } = countingSource();
    const store = new CertificateStore(source, 2);
    const [a, b, c] = [testCertificate("a", alpha), testCertificate("b", beta), testCertificate("c", chained)];
    await built(store.context(a));
    await built(store.context(b));
    store.context(a); // a is now the most recent
    await built(store.context(c));
    expect(store.size).toBe(2);
    expect(store.context(a)).not.toBeInstanceOf(Promise);
    expect(await built(store.context(b))).toMatchObject({ ok: true });
    expect(fetches.get("b")).toBe(2);
  });

  it("fetches a renewed version again and forgets versions no longer used", async () => {
    const { source, fetches } = countingSource();
    const store = new CertificateStore(source);
    const first = testCertificate("a", alpha);
    const oldContext = await built(store.context(first));
    const renewed = testCertificate("a", beta);
    expect(renewed.version).not.toBe(first.version);
    const newContext = await built(store.context(renewed));
    expect(newContext.ok && oldContext.ok && newContext.context !== oldContext.context).toBe(true);
    expect(fetches.get("a")).toBe(2);
    store.retainOnly([renewed]);
    expect(store.size).toBe(1);
  });

  it("remembers why a certificate cannot be used, and tries a failed fetch again", async () => {
    const mismatched = certs.mismatchedKey(["bad.test"]);
    const bad = testCertificate("bad", mismatched);
    let primaryUp = false;
    const store = new CertificateStore(async (id): Promise<CertificateMaterial> => {
      if (!primaryUp) throw new Error("The proxy primary did not send the certificate in time.");
      return testCertificateMaterial(id);
    });
    expect(await built(store.context(bad))).toEqual({ ok: false, error: "The proxy primary did not send the certificate in time." });
    expect(store.problemOf(bad)).toBe("The proxy primary did not send the certificate in time.");
    primaryUp = true;
    expect(await built(store.context(bad))).toEqual({ ok: false, error: expect.stringMatching(/does not belong to this certificate/) });
    expect(store.problemOf(bad)).toMatch(/does not belong to this certificate/);
    expect(store.problemOf({ ...bad, version: "other" } satisfies SnapshotCertificate)).toBeNull();
  });

  it("caches the fallback context by content", () => {
    const store = new CertificateStore(testCertificateMaterial);
    const one = store.prepareFallback(alpha);
    expect(store.prepareFallback({ ...alpha })).toBe(one);
    expect(store.prepareFallback(beta)).not.toBe(one);
  });
});
