import type tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestCertificateFactory, type TestCertificate } from "../../test-support/certs";
import { HostRouter } from "../routing/host-router";
import { buildSecureContext } from "./build-secure-context";
import { SniContextStore, SniLookup } from "./sni-context-store";

let certs: TestCertificateFactory;
let alpha: TestCertificate;
let beta: TestCertificate;
let wildcard: TestCertificate;
let chained: TestCertificate;

beforeAll(() => {
  certs = new TestCertificateFactory();
  alpha = certs.selfSigned(["alpha.test"]);
  beta = certs.selfSigned(["beta.test", "www.beta.test"]);
  wildcard = certs.selfSigned(["*.wild.test"]);
  chained = certs.caSigned(["chained.test"]);
});
afterAll(() => certs.cleanup());

const asCertificate = (id: string, cert: TestCertificate) => ({ id, ...cert });

function contextOf(result: ReturnType<typeof buildSecureContext> | undefined): tls.SecureContext {
  if (!result?.ok) throw new Error(`expected a context, got ${JSON.stringify(result)}`);
  return result.context;
}

describe("buildSecureContext", () => {
  it("builds a context from a certificate, its chain and key", () => {
    expect(buildSecureContext(alpha).ok).toBe(true);
    expect(buildSecureContext(chained).ok).toBe(true);
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

describe("SniContextStore", () => {
  it("builds each certificate once and reuses it across reloads while its content is unchanged", () => {
    const store = new SniContextStore();
    const first = store.prepare([asCertificate("a", alpha), asCertificate("b", beta)]);
    const second = store.prepare([asCertificate("a", alpha), asCertificate("b", beta)]);
    expect(contextOf(second.get("a"))).toBe(contextOf(first.get("a")));
    expect(contextOf(second.get("b"))).toBe(contextOf(first.get("b")));

    // The id does not matter, the content does: a renamed certificate keeps its context.
    const renamed = store.prepare([asCertificate("a2", alpha)]);
    expect(contextOf(renamed.get("a2"))).toBe(contextOf(first.get("a")));
    expect(store.size).toBe(1);

    // New content for the same id gets a new context.
    const renewed = store.prepare([asCertificate("a2", beta)]);
    expect(contextOf(renewed.get("a2"))).not.toBe(contextOf(first.get("a")));
  });

  it("reports a broken certificate without affecting the others", () => {
    const store = new SniContextStore();
    const contexts = store.prepare([asCertificate("good", alpha), asCertificate("bad", certs.mismatchedKey(["bad.test"]))]);
    expect(contexts.get("good")?.ok).toBe(true);
    expect(contexts.get("bad")).toEqual({ ok: false, error: expect.stringMatching(/does not belong/) });
  });

  it("caches the fallback context by content", () => {
    const store = new SniContextStore();
    const one = contextOf(store.prepareFallback(alpha));
    expect(contextOf(store.prepareFallback({ ...alpha }))).toBe(one);
    expect(contextOf(store.prepareFallback(beta))).not.toBe(one);
  });
});

describe("SniLookup", () => {
  it("prefers the routing site's certificate, then certificate domains, then the fallback", () => {
    const store = new SniContextStore();
    const contexts = store.prepare([
      asCertificate("alpha", alpha),
      asCertificate("beta", beta),
      asCertificate("wild", wildcard),
    ]);
    const alphaCtx = contextOf(contexts.get("alpha"));
    const betaCtx = contextOf(contexts.get("beta"));
    const wildCtx = contextOf(contexts.get("wild"));
    const fallback = contextOf(store.prepareFallback(chained));

    const router = new HostRouter([
      // A site may route a name its certificate does not list: the site's choice wins.
      { hostnames: ["alpha.test", "shared.test"], secureContext: alphaCtx },
      { hostnames: ["*.sites.test"], secureContext: betaCtx },
      { hostnames: ["plain.test"], secureContext: null },
    ]);
    const lookup = new SniLookup(
      router,
      [
        { domains: beta.domains, context: betaCtx },
        { domains: wildcard.domains, context: wildCtx },
      ],
      fallback,
    );

    const table: Array<[string, tls.SecureContext]> = [
      ["alpha.test", alphaCtx],
      ["ALPHA.test.", alphaCtx],
      ["shared.test", alphaCtx],
      ["x.sites.test", betaCtx],
      ["www.beta.test", betaCtx],
      ["beta.test", betaCtx],
      ["a.wild.test", wildCtx],
      // a certificate wildcard covers one label only
      ["a.b.wild.test", fallback],
      ["wild.test", fallback],
      // a site without a certificate, and names nobody knows
      ["plain.test", fallback],
      ["unknown.test", fallback],
      ["bad/name", fallback],
    ];
    for (const [name, expected] of table) {
      expect(lookup.contextFor(name), name).toBe(expected);
    }
  });

  it("answers undefined (the server default) when there is no fallback yet", () => {
    const lookup = new SniLookup(new HostRouter([]), [], undefined);
    expect(lookup.contextFor("any.test")).toBeUndefined();
  });
});
