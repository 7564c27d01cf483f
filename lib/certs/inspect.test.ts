import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { inspectCertificate } from "./inspect";
import { makeLeaf, makePki, makeRoot, type Pki } from "./testing/pki";
import { parseSubjectAltName } from "./x509-names";

let pki: Pki;

beforeAll(async () => {
  pki = await makePki(["Example.com", "www.example.com", "*.example.com"]);
});

describe("inspectCertificate", () => {
  it("reads the leaf's facts", () => {
    const info = inspectCertificate(pki.leaf.certificatePem);
    const cert = new X509Certificate(pki.leaf.certificatePem);
    expect(info.domains).toEqual(["example.com", "www.example.com", "*.example.com"]);
    expect(info.issuer).toBe("Test Trust");
    expect(info.subject).toBe("Example.com");
    expect(info.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(info.serialNumber).toBe(cert.serialNumber.toUpperCase());
    expect(info.notBefore.getTime()).toBe(new Date(cert.validFrom).getTime());
    expect(info.notAfter.getTime()).toBeGreaterThan(info.notBefore.getTime());
    expect(info.fingerprint256).toBe(cert.fingerprint256);
    expect(info.isCA).toBe(false);
  });

  it("accepts a parsed certificate and takes the first of several in PEM", () => {
    const fromPem = inspectCertificate(pki.leaf.certificatePem + pki.intermediate.certificatePem);
    expect(fromPem).toEqual(inspectCertificate(pki.leaf.cert));
  });

  it("marks CAs and prefers the issuer's organization over its common name", async () => {
    const intermediate = inspectCertificate(pki.intermediate.certificatePem);
    expect(intermediate.isCA).toBe(true);
    expect(intermediate.subject).toBe("Test Issuing CA");
    const bareRoot = await makeRoot("Bare Root");
    expect(inspectCertificate(bareRoot.certificatePem).issuer).toBe("Bare Root");
    // A CN that is not a hostname is not offered as a domain.
    expect(inspectCertificate(bareRoot.certificatePem).domains).toEqual([]);
  });

  it("falls back to the common name when there is no SAN", async () => {
    const old = await makeLeaf(pki.intermediate, ["Legacy.Example.com"], { withoutSan: true });
    expect(inspectCertificate(old.certificatePem).domains).toEqual(["legacy.example.com"]);
  });

  it("dates come back as exact Dates", async () => {
    const notBefore = new Date("2024-02-29T08:09:10Z");
    const notAfter = new Date("2051-01-02T03:04:05Z");
    const leaf = await makeLeaf(pki.intermediate, ["dates.example.com"], { notBefore, notAfter });
    const info = inspectCertificate(leaf.certificatePem);
    expect(info.notBefore.toISOString()).toBe(notBefore.toISOString());
    expect(info.notAfter.toISOString()).toBe(notAfter.toISOString());
  });

  it("throws on text without a certificate", () => {
    expect(() => inspectCertificate("nope")).toThrow(/No PEM certificate/);
    expect(() => inspectCertificate(pki.leaf.privateKeyPem)).toThrow(/No PEM certificate/);
  });
});

describe("parseSubjectAltName", () => {
  it("reads node's format, including JSON-quoted values that contain commas", () => {
    expect(parseSubjectAltName('DNS:a.example.com, IP Address:10.0.0.1, DNS:"evil.com, DNS:good.com", email:x@y.z')).toEqual([
      { type: "DNS", value: "a.example.com" },
      { type: "IP Address", value: "10.0.0.1" },
      { type: "DNS", value: "evil.com, DNS:good.com" },
      { type: "email", value: "x@y.z" },
    ]);
    expect(parseSubjectAltName(undefined)).toEqual([]);
  });
});
