import type { KeyObject, X509Certificate } from "node:crypto";
import { analyzeChain, isSelfSigned } from "./chain";
import { uncoveredHostnames } from "./covers";
import { daysLeft, EXPIRING_WITHIN_DAYS } from "./expiry";
import { inspectCertificate, type CertificateInfo } from "./inspect";
import { toPem } from "./pem";
import { readCertificateField, readChainField, readPrivateKeyField } from "./upload-fields";
import * as say from "./upload-messages";

export type UploadField = "certificatePem" | "privateKeyPem" | "chainPem";
/** One plain-language message per field that is wrong; fields that are fine are absent. */
export type UploadErrors = Partial<Record<UploadField, string>>;

export interface UploadInput {
  certificatePem: string;
  privateKeyPem: string;
  chainPem?: string | null;
}

export interface UploadOptions {
  now?: Date;
  /** The hostnames of the sites that will use the certificate, for the coverage warning. */
  hostnames?: readonly string[];
}

export interface ValidatedCertificate {
  /** The leaf alone, re-encoded as canonical PEM. */
  certificatePem: string;
  /** The intermediates in signing order, canonical PEM, "" when there are none. */
  chainPem: string;
  /** PKCS#8, unencrypted, canonical PEM. */
  privateKeyPem: string;
  domains: string[];
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export type UploadValidation = { ok: true; certificate: ValidatedCertificate; warnings: string[] } | { ok: false; errors: UploadErrors };

interface SourcedCertificate {
  cert: X509Certificate;
  field: UploadField;
}

function nameOf(cert: X509Certificate): string {
  const info = inspectCertificate(cert);
  return info.domains[0] ?? info.subject;
}

/** Intermediates from both fields, de-duplicated: fullchain.pem plus chain.pem repeats them. */
function mergeChain(leaf: X509Certificate, inline: X509Certificate[], separate: X509Certificate[]): SourcedCertificate[] {
  const seen = new Set([leaf.fingerprint256]);
  const merged: SourcedCertificate[] = [];
  const add = (cert: X509Certificate, field: UploadField) => {
    if (seen.has(cert.fingerprint256)) return;
    seen.add(cert.fingerprint256);
    merged.push({ cert, field });
  };
  inline.forEach((cert) => add(cert, "certificatePem"));
  separate.forEach((cert) => add(cert, "chainPem"));
  return merged;
}

function matchesKey(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** Which field to blame when the leaf and key disagree, and what to tell the person. */
function keyProblem(certs: X509Certificate[], chainCerts: X509Certificate[], key: KeyObject): { field: UploadField; error: string } | null {
  const [leaf] = certs;
  if (!leaf || matchesKey(leaf, key)) return null;
  const position = certs.findIndex((cert) => matchesKey(cert, key));
  if (position > 0) {
    return { field: "certificatePem", error: say.leafNotFirst(nameOf(certs[position] ?? leaf), position + 1, certs.length) };
  }
  const inChain = chainCerts.find((cert) => matchesKey(cert, key));
  if (inChain) return { field: "certificatePem", error: say.leafInChainField(nameOf(inChain)) };
  return { field: "privateKeyPem", error: say.keyMismatch(nameOf(leaf)) };
}

function chainProblem(leaf: X509Certificate, leafInfo: CertificateInfo, chain: X509Certificate[]): string | null {
  const analysis = analyzeChain(leaf, chain);
  switch (analysis.kind) {
    case "ok":
      return null;
    case "unrelated":
      return isSelfSigned(leaf) ? say.selfSignedWithChain : say.unrelatedChain(leafInfo.issuer, chain.map(nameOf));
    case "out-of-order":
      return say.chainOutOfOrder(analysis.ordered.map(nameOf));
    case "extra":
      return say.chainExtra(analysis.extra.map(nameOf));
  }
}

function validityProblem(info: CertificateInfo, now: Date): string | null {
  if (info.notAfter.getTime() < now.getTime()) {
    // Swapped arguments: whole days since expiry, rounded down like daysLeft.
    return say.expired(info.notAfter, daysLeft(now, info.notAfter), info.issuer);
  }
  if (info.notBefore.getTime() > now.getTime()) return say.notYetValid(info.notBefore);
  return null;
}

function warningsFor(
  leaf: X509Certificate,
  info: CertificateInfo,
  chain: readonly X509Certificate[],
  { now, hostnames }: { now: Date; hostnames: readonly string[] },
): string[] {
  const warnings: string[] = [];
  const missing = uncoveredHostnames(info.domains, hostnames);
  if (missing.length > 0) warnings.push(say.notCovered(missing, info.domains));
  const selfSigned = isSelfSigned(leaf);
  if (selfSigned) warnings.push(say.selfSigned);
  const days = daysLeft(info.notAfter, now);
  if (days <= EXPIRING_WITHIN_DAYS) warnings.push(say.expiresSoon(info.notAfter, days));
  if (!selfSigned && chain.length === 0) warnings.push(say.missingChain(info.issuer));
  for (const cert of chain) {
    const chainInfo = inspectCertificate(cert);
    if (chainInfo.notAfter.getTime() < now.getTime()) {
      warnings.push(say.chainCertificateExpired(chainInfo.domains[0] ?? chainInfo.subject, chainInfo.notAfter));
    }
  }
  return warnings;
}

/**
 * Checks an uploaded certificate, key and chain the way a TLS client would, and says in plain
 * words what to fix. Each field is checked on its own first, so one paste mistake does not
 * hide another; the cross-checks (key, chain, dates) run only on what could be read.
 */
export function validateUpload(input: UploadInput, options: UploadOptions = {}): UploadValidation {
  const now = options.now ?? new Date();
  const errors: UploadErrors = {};
  const blame = (field: UploadField, error: string) => {
    errors[field] ??= error;
  };

  const certField = readCertificateField(input.certificatePem);
  const chainField = readChainField(input.chainPem);
  const keyField = readPrivateKeyField(input.privateKeyPem, {
    keyInCertificateField: certField.ok && certField.hadPrivateKey,
  });
  if (!certField.ok) blame("certificatePem", certField.error);
  if (!chainField.ok) blame("chainPem", chainField.error);
  if (!keyField.ok) blame("privateKeyPem", keyField.error);
  if (!certField.ok) return { ok: false, errors };

  const [leaf, ...inline] = certField.certs;
  if (!leaf) return { ok: false, errors: { ...errors, certificatePem: say.empty.certificate } };

  if (keyField.ok) {
    const problem = keyProblem(certField.certs, chainField.ok ? chainField.certs : [], keyField.key);
    if (problem) blame(problem.field, problem.error);
    // A misplaced leaf makes every later check about the wrong certificate.
    if (problem?.field === "certificatePem") return { ok: false, errors };
  }

  const info = inspectCertificate(leaf);
  const validity = validityProblem(info, now);
  if (validity) blame("certificatePem", validity);

  const chain = mergeChain(leaf, inline, chainField.ok ? chainField.certs : []);
  const chainCerts = chain.map((entry) => entry.cert);
  if (chainField.ok) {
    const problem = chainProblem(leaf, info, chainCerts);
    // Blame the Chain field whenever it took part; a fullchain alone is the Certificate field's.
    if (problem) blame(chain.some((entry) => entry.field === "chainPem") ? "chainPem" : "certificatePem", problem);
  }

  if (!keyField.ok || Object.keys(errors).length > 0) return { ok: false, errors };

  return {
    ok: true,
    certificate: {
      certificatePem: toPem("CERTIFICATE", leaf.raw),
      chainPem: chainCerts.map((cert) => toPem("CERTIFICATE", cert.raw)).join(""),
      privateKeyPem: String(keyField.key.export({ type: "pkcs8", format: "pem" })),
      domains: info.domains,
      issuer: info.issuer,
      serialNumber: info.serialNumber,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
    },
    warnings: warningsFor(leaf, info, chainCerts, { now, hostnames: options.hostnames ?? [] }),
  };
}
