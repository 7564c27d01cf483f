import { beforeAll, describe, expect, it } from "vitest";
import { parsePem, toPem, type PemParseResult } from "./pem";
import { generateSelfSigned } from "./self-signed";

let certificatePem = "";
let privateKeyPem = "";

beforeAll(async () => {
  ({ certificatePem, privateKeyPem } = await generateSelfSigned(["example.com"]));
});

function blocksOf(result: PemParseResult) {
  if (result.kind !== "pem") throw new Error(`expected PEM, got ${result.kind}`);
  return result.blocks;
}

function bodyOf(pem: string): string {
  return pem
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("-----"))
    .join("");
}

describe("parsePem", () => {
  it("splits a certificate and a key into typed blocks", () => {
    const blocks = blocksOf(parsePem(certificatePem + privateKeyPem));
    expect(blocks.map((b) => [b.label, b.kind])).toEqual([
      ["CERTIFICATE", "certificate"],
      ["PRIVATE KEY", "private-key"],
    ]);
    expect(blocks[0]?.der.equals(Buffer.from(bodyOf(certificatePem), "base64"))).toBe(true);
  });

  it("tolerates CRLF, indentation, blank lines and text around the blocks", () => {
    const messy =
      "\n\n  subject=CN = example.com\r\nissuer=CN = example.com\r\n" +
      certificatePem
        .split("\n")
        .map((line) => `   ${line}   `)
        .join("\r\n") +
      "\r\n\r\nBag Attributes\r\n" +
      privateKeyPem.replace(/\n/g, "\r\n") +
      "\r\n\t  ";
    const blocks = blocksOf(parsePem(messy));
    expect(blocks.map((b) => b.label)).toEqual(["CERTIFICATE", "PRIVATE KEY"]);
    expect(toPem("CERTIFICATE", blocks[0]?.der ?? new Uint8Array())).toBe(certificatePem);
  });

  it("reads a PEM folded onto one line by a chat tool", () => {
    const folded = certificatePem.replace(/\n/g, " ");
    expect(toPem("CERTIFICATE", blocksOf(parsePem(folded))[0]?.der ?? new Uint8Array())).toBe(certificatePem);
  });

  it("classifies the usual labels", () => {
    const wrap = (label: string) => `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;
    const kinds = [
      "RSA PRIVATE KEY",
      "EC PRIVATE KEY",
      "ENCRYPTED PRIVATE KEY",
      "OPENSSH PRIVATE KEY",
      "PUBLIC KEY",
      "CERTIFICATE REQUEST",
      "NEW CERTIFICATE REQUEST",
      "EC PARAMETERS",
      "X509 CRL",
    ].map((label) => blocksOf(parsePem(wrap(label)))[0]?.kind);
    expect(kinds).toEqual([
      "private-key",
      "private-key",
      "encrypted-private-key",
      "openssh-private-key",
      "public-key",
      "certificate-request",
      "certificate-request",
      "parameters",
      "other",
    ]);
  });

  it("reads RFC 1421 headers and marks a legacy encrypted key as encrypted", () => {
    const legacy =
      "-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-256-CBC,0011\r\n\r\nMIIB\r\n-----END RSA PRIVATE KEY-----";
    const [block] = blocksOf(parsePem(legacy));
    expect(block?.kind).toBe("encrypted-private-key");
    expect(block?.headers).toEqual({ "proc-type": "4,ENCRYPTED", "dek-info": "AES-256-CBC,0011" });
  });

  it("says when there is nothing, or nothing PEM-like", () => {
    expect(parsePem("")).toEqual({ kind: "empty" });
    expect(parsePem(" \r\n\t ")).toEqual({ kind: "empty" });
    expect(parsePem("hello, this is my certificate")).toEqual({ kind: "not-pem" });
    expect(parsePem("https://example.com/cert.pem")).toEqual({ kind: "not-pem" });
  });

  it("recognises base64 pasted without its BEGIN/END lines", () => {
    const result = parsePem(bodyOf(certificatePem));
    expect(result.kind).toBe("base64");
    if (result.kind === "base64") expect(result.der[0]).toBe(0x30);
  });

  it("recognises a binary DER file read as text", () => {
    const der = blocksOf(parsePem(certificatePem))[0]?.der ?? Buffer.alloc(0);
    expect(parsePem(der.toString("utf8"))).toEqual({ kind: "binary" });
    expect(parsePem(der.toString("latin1"))).toEqual({ kind: "binary" });
  });

  it("reports a block cut off, started late, mismatched or damaged", () => {
    const lines = certificatePem.trim().split("\n");
    expect(parsePem(lines.slice(0, -3).join("\n"))).toEqual({
      kind: "malformed",
      problem: { type: "missing-end", label: "CERTIFICATE" },
    });
    expect(parsePem(lines.slice(3).join("\n"))).toEqual({
      kind: "malformed",
      problem: { type: "missing-begin", label: "CERTIFICATE" },
    });
    expect(parsePem(certificatePem.replace("END CERTIFICATE", "END PRIVATE KEY"))).toEqual({
      kind: "malformed",
      problem: { type: "mismatched-end", label: "CERTIFICATE", endLabel: "PRIVATE KEY" },
    });
    const damaged = [lines[0], lines[1], (lines[2] ?? "").slice(0, 30) + "é!" + (lines[2] ?? "").slice(32), ...lines.slice(3)];
    expect(parsePem(damaged.join("\n"))).toEqual({
      kind: "malformed",
      problem: { type: "bad-base64", label: "CERTIFICATE" },
    });
  });
});

describe("toPem", () => {
  it("wraps at 64 columns with LF endings and a final newline", () => {
    const pem = toPem("CERTIFICATE", Buffer.alloc(100, 7));
    const lines = pem.split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
    expect(pem).not.toContain("\r");
  });
});
