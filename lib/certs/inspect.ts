import { X509Certificate } from "node:crypto";
import { hostnameSchema } from "../schemas/hostname";
import { parsePem } from "./pem";
import { firstAttribute, issuerAttributes, parseSubjectAltName, readableName, subjectAttributes } from "./x509-names";

export interface CertificateInfo {
  /** DNS names (and IP addresses) from the SAN extension; the CN only when there is no SAN name. */
  domains: string[];
  /** Who issued it, as people know them: "Let's Encrypt" rather than "R11". */
  issuer: string;
  /** The subject's CN, or its O when there is no CN. */
  subject: string;
  /** Upper-case hex without colons. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 fingerprint as node prints it (colon-separated upper-case hex). */
  fingerprint256: string;
  isCA: boolean;
}

function parseDate(text: string): Date {
  // Node 20 only offers the OpenSSL text form ("Jan  2 03:04:05 2030 GMT"), which V8 parses.
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`Unreadable certificate date "${text}"`);
  return date;
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

function domainsOf(cert: X509Certificate): string[] {
  const fromSan = parseSubjectAltName(cert.subjectAltName)
    .filter((name) => name.type === "DNS" || name.type === "IP Address")
    .map((name) => normalizeName(name.value))
    .filter((name) => name !== "");
  if (fromSan.length > 0) return [...new Set(fromSan)];
  // Old certificates put the hostname only in the CN; a CN like "Acme Root CA" is not a domain.
  const cn = firstAttribute(subjectAttributes(cert), "CN");
  const parsed = cn === undefined ? undefined : hostnameSchema.safeParse(cn);
  return parsed?.success ? [parsed.data] : [];
}

function firstCertificate(pem: string): X509Certificate {
  const parsed = parsePem(pem);
  const block = parsed.kind === "pem" ? parsed.blocks.find((b) => b.kind === "certificate") : undefined;
  if (!block) throw new Error("No PEM certificate found");
  return new X509Certificate(block.der);
}

/** Reads the facts the dashboard shows; accepts PEM text (first certificate wins) or a parsed certificate. */
export function inspectCertificate(pem: string | X509Certificate): CertificateInfo {
  const cert = typeof pem === "string" ? firstCertificate(pem) : pem;
  return {
    domains: domainsOf(cert),
    issuer: readableName(issuerAttributes(cert), ["O", "CN"]),
    subject: readableName(subjectAttributes(cert), ["CN", "O"]),
    serialNumber: cert.serialNumber.replace(/:/g, "").toUpperCase(),
    notBefore: parseDate(cert.validFrom),
    notAfter: parseDate(cert.validTo),
    fingerprint256: cert.fingerprint256,
    isCA: cert.ca,
  };
}
