import { createDecipheriv, generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCredentials, openPrivateKey, sealCredentials, sealPrivateKey, SealedKeyError } from "./key-crypto";

const root = mkdtempSync(path.join(tmpdir(), "gatekeeper-key-crypto-"));
let counter = 0;
const freshDir = () => path.join(root, `data-${counter++}`, "nested");

afterAll(() => rmSync(root, { recursive: true, force: true }));

const pem = String(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }));

/** Flips one bit of the base64 part at `index` (1 = iv, 2 = tag, 3 = ciphertext). */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split(":");
  const bytes = Buffer.from(parts[index] ?? "", "base64");
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  parts[index] = bytes.toString("base64");
  return parts.join(":");
}

describe("sealPrivateKey / openPrivateKey", () => {
  it("round-trips, with a fresh IV each time", () => {
    const dataDir = freshDir();
    const a = sealPrivateKey(pem, { dataDir });
    const b = sealPrivateKey(pem, { dataDir });
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("PRIVATE KEY");
    expect(openPrivateKey(a, { dataDir })).toBe(pem);
    expect(openPrivateKey(b, { dataDir })).toBe(pem);
  });

  it("creates secret.key with mode 0600 in a new 0700 directory", () => {
    const dataDir = freshDir();
    sealPrivateKey(pem, { dataDir });
    const file = path.join(dataDir, "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64")).toHaveLength(32);
  });

  it("uses an existing secret.key, AES-256-GCM with the documented layout", () => {
    const dataDir = freshDir();
    const key = Buffer.alloc(32, 9);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, "secret.key"), key.toString("base64"), { mode: 0o600 });
    const [, iv, tag, ciphertext] = sealPrivateKey(pem, { dataDir }).split(":");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64"));
    decipher.setAAD(Buffer.from("gatekeeper-private-key:v1"));
    decipher.setAuthTag(Buffer.from(tag ?? "", "base64"));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext ?? "", "base64")), decipher.final()]);
    expect(plain.toString("utf8")).toBe(pem);
  });

  it("reads the key file once and keeps it in memory", () => {
    const dataDir = freshDir();
    const sealed = sealPrivateKey(pem, { dataDir });
    writeFileSync(path.join(dataDir, "secret.key"), Buffer.alloc(32, 1).toString("base64"));
    expect(openPrivateKey(sealed, { dataDir })).toBe(pem);
  });

  it("detects tampering with the IV, the tag or the ciphertext", () => {
    const dataDir = freshDir();
    const sealed = sealPrivateKey(pem, { dataDir });
    for (const index of [1, 2, 3]) {
      expect(() => openPrivateKey(tamper(sealed, index), { dataDir })).toThrow(/altered/);
    }
  });

  it("refuses a key sealed under another data directory's secret", () => {
    const sealed = sealPrivateKey(pem, { dataDir: freshDir() });
    expect(() => openPrivateKey(sealed, { dataDir: freshDir() })).toThrow(SealedKeyError);
    expect(() => openPrivateKey(sealed, { dataDir: freshDir() })).toThrow(/different secret.key/);
  });

  it("refuses text that is not in the sealed format", () => {
    const dataDir = freshDir();
    const sealed = sealPrivateKey(pem, { dataDir });
    expect(() => openPrivateKey(pem, { dataDir })).toThrow(/not a sealed private key/);
    expect(() => openPrivateKey("v2" + sealed.slice(2), { dataDir })).toThrow(/not a sealed private key/);
    expect(() => openPrivateKey(sealed + ":extra", { dataDir })).toThrow(/not a sealed private key/);
    expect(() => openPrivateKey(sealed.replace(/:[^:]+:/, ":AAAA:"), { dataDir })).toThrow(/damaged/);
  });

  it("refuses a secret.key that is not 32 bytes", () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, "secret.key"), "too short");
    expect(() => sealPrivateKey(pem, { dataDir })).toThrow(/not a valid at-rest encryption key/);
  });
});

describe("sealCredentials / openCredentials", () => {
  it("round-trips a DNS provider's credentials, and neither kind opens as the other", () => {
    const dataDir = freshDir();
    const sealed = sealCredentials({ apiToken: "secret-token" }, { dataDir });
    expect(sealed).not.toContain("secret-token");
    expect(openCredentials(sealed, { dataDir })).toEqual({ apiToken: "secret-token" });
    expect(() => openPrivateKey(sealed, { dataDir })).toThrow(SealedKeyError);
    expect(() => openCredentials(sealPrivateKey(pem, { dataDir }), { dataDir })).toThrow(/sealed credentials could not be decrypted/);
  });
});
