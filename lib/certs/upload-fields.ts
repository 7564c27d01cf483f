import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { parsePem, toPem, type PemBlock, type PemParseResult } from "./pem";
import * as say from "./upload-messages";

export type FieldRead<T> = ({ ok: true } & T) | { ok: false; error: string };

export type CertificatesRead = FieldRead<{ certs: X509Certificate[]; hadPrivateKey: boolean }>;
export type KeyRead = FieldRead<{ key: KeyObject }>;

function derLooksLike(der: Buffer): "certificate" | "private key" | "unknown" {
  try {
    new X509Certificate(der);
    return "certificate";
  } catch {
    // fall through: not a certificate
  }
  try {
    createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    return "private key";
  } catch {
    return "unknown";
  }
}

/** The message for text that has no usable PEM blocks at all, or null when it does. */
function unusable(parsed: PemParseResult, field: say.FieldName): string | null {
  switch (parsed.kind) {
    case "pem":
    case "empty":
      return null;
    case "binary":
      return say.binary(field);
    case "base64":
      return say.headerlessBase64(field, derLooksLike(parsed.der));
    case "malformed":
      return say.malformed(parsed.problem);
    case "not-pem":
      return say.notPem(field);
  }
}

function wrongContent(blocks: readonly PemBlock[], field: say.FieldName): string {
  // Explain the most telling block: a key or CSR says more than stray EC PARAMETERS.
  const telling = blocks.find((block) => block.kind !== "parameters" && block.kind !== "other") ?? blocks[0];
  return say.wrongContent(field, telling?.kind ?? "other", [...new Set(blocks.map((block) => block.label))]);
}

function readCertificates(blocks: readonly PemBlock[], field: say.FieldName): CertificatesRead {
  const certBlocks = blocks.filter((block) => block.kind === "certificate");
  if (certBlocks.length === 0) return { ok: false, error: wrongContent(blocks, field) };
  const certs: X509Certificate[] = [];
  for (const [index, block] of certBlocks.entries()) {
    try {
      certs.push(new X509Certificate(block.der));
    } catch {
      return { ok: false, error: say.unreadableCertificate(index, certBlocks.length) };
    }
  }
  // A private key beside the certificates (a combined .pem) is left out rather than refused:
  // only the certificates are kept from this field.
  const hadPrivateKey = blocks.some((b) => b.kind === "private-key" || b.kind === "encrypted-private-key");
  return { ok: true, certs, hadPrivateKey };
}

/** The Certificate field: the leaf, optionally followed by its chain (fullchain.pem). */
export function readCertificateField(text: string): CertificatesRead {
  const parsed = parsePem(text);
  if (parsed.kind === "empty") return { ok: false, error: say.empty.certificate };
  const problem = unusable(parsed, "certificate");
  if (problem !== null || parsed.kind !== "pem") return { ok: false, error: problem ?? say.notPem("certificate") };
  return readCertificates(parsed.blocks, "certificate");
}

/** The optional Chain field: empty means no chain. */
export function readChainField(text: string | null | undefined): CertificatesRead {
  const parsed = parsePem(text ?? "");
  if (parsed.kind === "empty") return { ok: true, certs: [], hadPrivateKey: false };
  const problem = unusable(parsed, "chain");
  if (problem !== null || parsed.kind !== "pem") return { ok: false, error: problem ?? say.notPem("chain") };
  return readCertificates(parsed.blocks, "chain");
}

export function readPrivateKeyField(text: string, { keyInCertificateField = false } = {}): KeyRead {
  const parsed = parsePem(text);
  if (parsed.kind === "empty") {
    return { ok: false, error: keyInCertificateField ? say.empty.privateKeyInCertificateField : say.empty.privateKey };
  }
  const problem = unusable(parsed, "private key");
  if (problem !== null || parsed.kind !== "pem") return { ok: false, error: problem ?? say.notPem("private key") };

  const plain = parsed.blocks.filter((block) => block.kind === "private-key");
  const encrypted = parsed.blocks.filter((block) => block.kind === "encrypted-private-key");
  if (plain.length + encrypted.length > 1) return { ok: false, error: say.severalKeys(plain.length + encrypted.length) };
  if (encrypted.length > 0) return { ok: false, error: say.encryptedKey };
  const block = plain[0];
  if (!block) return { ok: false, error: wrongContent(parsed.blocks, "private key") };
  try {
    return { ok: true, key: createPrivateKey({ key: toPem(block.label, block.der), format: "pem" }) };
  } catch {
    return { ok: false, error: say.unreadableKey };
  }
}
