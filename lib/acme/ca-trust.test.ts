import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestCertificateFactory } from "@/test-support/certs";
import { CaFileError, extraCaCertificates } from "./ca-trust";

const certs = new TestCertificateFactory();
const dir = mkdtempSync(path.join(tmpdir(), "gk-ca-file-"));
afterAll(() => {
  certs.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe("ACME_CA_FILE", () => {
  it("is optional", () => {
    expect(extraCaCertificates({})).toEqual([]);
    expect(extraCaCertificates({ ACME_CA_FILE: "" })).toEqual([]);
  });

  it("reads every certificate in the file", () => {
    const file = path.join(dir, "ca.pem");
    const a = certs.selfSigned(["a.test"]).certificatePem;
    const b = certs.selfSigned(["b.test"]).certificatePem;
    writeFileSync(file, `Bag Attributes: x\n${a}\n${b}`);
    expect(extraCaCertificates({ ACME_CA_FILE: file })).toEqual([a, b]);
  });

  it.each([
    ["a missing file", path.join(dir, "missing.pem"), /ACME_CA_FILE \(.*missing\.pem\) could not be read \(ENOENT\)/],
    ["a file without certificates", "not-pem", /ACME_CA_FILE \(.*\) holds no PEM certificate/],
  ])("names %s and says why", (_name, file, message) => {
    const target = file === "not-pem" ? path.join(dir, "key-only.pem") : file;
    if (file === "not-pem") writeFileSync(target, certs.selfSigned(["k.test"]).privateKeyPem);
    expect(() => extraCaCertificates({ ACME_CA_FILE: target })).toThrow(CaFileError);
    expect(() => extraCaCertificates({ ACME_CA_FILE: target })).toThrow(message);
  });
});
