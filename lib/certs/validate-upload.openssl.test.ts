/**
 * The same checks on files made by the openssl CLI, the way most people make or convert them,
 * including running the exact commands our error messages tell people to run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateUpload } from "./validate-upload";

const dir = mkdtempSync(path.join(tmpdir(), "gatekeeper-openssl-"));
const file = (name: string) => path.join(dir, name);
const read = (name: string) => readFileSync(file(name), "utf8");
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** Runs a command quoted in an error message, e.g. "openssl pkey -in encrypted.key -out plain.key". */
function runQuoted(message: string | undefined, pattern: RegExp, extraArgs: string[] = []) {
  const command = pattern.exec(message ?? "")?.[0];
  if (!command) throw new Error(`no command matching ${pattern} in: ${message}`);
  const [program, ...args] = command.split(" ");
  expect(program).toBe("openssl");
  openssl(...args, ...extraArgs);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("validateUpload with openssl-made files", () => {
  beforeAll(() => {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "key.pem",
      "-out",
      "cert.pem",
      "-days",
      "20",
      "-subj",
      "/O=Home Lab/CN=rsa.example.com",
      "-addext",
      "subjectAltName=DNS:rsa.example.com",
    );
    openssl("rsa", "-in", "key.pem", "-traditional", "-out", "pkcs1.pem");
  });

  it("accepts an RSA PKCS#1 key, converting it to PKCS#8, with self-signed and expiry warnings", () => {
    expect(read("pkcs1.pem")).toContain("-----BEGIN RSA PRIVATE KEY-----");
    const result = validateUpload({ certificatePem: read("cert.pem"), privateKeyPem: read("pkcs1.pem") });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.certificate.privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(result.certificate.domains).toEqual(["rsa.example.com"]);
    expect(result.certificate.issuer).toBe("Home Lab");
    expect(result.warnings).toEqual([expect.stringMatching(/self-signed/), expect.stringMatching(/^This certificate expires in 19 days/)]);
  });

  it("refuses passphrase-protected keys, and the suggested command fixes them", () => {
    openssl("pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key");
    openssl("rsa", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-traditional", "-out", "legacy.key");
    expect(read("legacy.key")).toContain("Proc-Type: 4,ENCRYPTED");
    for (const name of ["encrypted.key", "legacy.key"]) {
      const result = validateUpload({ certificatePem: read("cert.pem"), privateKeyPem: read(name) });
      if (result.ok) throw new Error("an encrypted key was accepted");
      expect(result.errors.privateKeyPem).toMatch(/protected with a passphrase/);
      runQuoted(result.errors.privateKeyPem?.replace("encrypted.key", name), /openssl pkey [^(,)]+?plain\.key/, ["-passin", "pass:secret"]);
      expect(validateUpload({ certificatePem: read("cert.pem"), privateKeyPem: read("plain.key") }).ok).toBe(true);
    }
  });

  it("refuses a binary DER certificate, and the suggested conversion fixes it", () => {
    openssl("x509", "-in", "cert.pem", "-outform", "der", "-out", "certificate.der");
    const result = validateUpload({ certificatePem: readFileSync(file("certificate.der"), "latin1"), privateKeyPem: read("key.pem") });
    if (result.ok) throw new Error("a DER certificate was accepted");
    runQuoted(result.errors.certificatePem, /openssl x509 -inform der -in certificate\.der -out certificate\.pem/);
    expect(validateUpload({ certificatePem: read("certificate.pem"), privateKeyPem: read("key.pem") }).ok).toBe(true);
  });

  it("accepts an `openssl ecparam -genkey` key, which carries an EC PARAMETERS block", () => {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    expect(read("ec.pem")).toContain("-----BEGIN EC PARAMETERS-----");
    openssl("req", "-x509", "-key", "ec.pem", "-out", "ec-cert.pem", "-days", "90", "-subj", "/CN=ec.example.com");
    expect(validateUpload({ certificatePem: read("ec-cert.pem"), privateKeyPem: read("ec.pem") }).ok).toBe(true);
  });

  it("checks a CA-issued chain made with openssl x509 -req", () => {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "365",
      "-subj",
      "/O=Lab CA/CN=Lab Root",
    );
    openssl(
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "site.key",
      "-out",
      "site.csr",
      "-subj",
      "/CN=site.example.com",
    );
    writeFileSync(file("site.ext"), "subjectAltName=DNS:site.example.com,DNS:*.site.example.com\n");
    openssl(
      "x509",
      "-req",
      "-in",
      "site.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "site.pem",
      "-days",
      "60",
      "-extfile",
      "site.ext",
    );
    const ok = validateUpload(
      { certificatePem: read("site.pem"), privateKeyPem: read("site.key"), chainPem: read("ca.pem") },
      { hostnames: ["a.site.example.com", "b.c.site.example.com"] },
    );
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(ok.certificate.issuer).toBe("Lab CA");
    expect(ok.warnings).toEqual([expect.stringMatching(/does not cover b\.c\.site\.example\.com: visitors to that address/)]);

    const unrelated = validateUpload({
      certificatePem: read("site.pem"),
      privateKeyPem: read("site.key"),
      chainPem: read("cert.pem"),
    });
    expect(unrelated.ok ? undefined : unrelated.errors.chainPem).toMatch(/not the chain of this certificate/);
  });
});
