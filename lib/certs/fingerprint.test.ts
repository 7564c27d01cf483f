import { X509Certificate } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TestCertificateFactory } from "@/test-support/certs";
import { certificateVersion, pemFingerprint256 } from "./fingerprint";

const certs = new TestCertificateFactory();
afterAll(() => certs.cleanup());

describe("pemFingerprint256", () => {
  it.each(["rsa-2048", "ec-p256"] as const)("matches what Node computes for a %s certificate, chain or not", (keyType) => {
    const certificate = certs.selfSigned(["fp.test"], keyType);
    const expected = new X509Certificate(certificate.certificatePem).fingerprint256;
    expect(pemFingerprint256(certificate.certificatePem)).toBe(expected);
    expect(pemFingerprint256(`Bag Attributes\n${certificate.certificatePem}\n${certificate.certificatePem}`)).toBe(expected);
  });

  it("is empty without a certificate block", () => {
    expect(pemFingerprint256("not a certificate")).toBe("");
  });
});

it("gives another version when the certificate, the chain or the key changes", () => {
  const versions = new Set([
    certificateVersion("cert", "chain", "key"),
    certificateVersion("cert2", "chain", "key"),
    certificateVersion("cert", "chain2", "key"),
    certificateVersion("cert", "chain", "key2"),
    certificateVersion("cert", "chainkey", ""),
  ]);
  expect(versions.size).toBe(5);
});
