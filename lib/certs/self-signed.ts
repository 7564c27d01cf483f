import { KeyObject, randomBytes, webcrypto } from "node:crypto";
import { isIP } from "node:net";
import { hostnameSchema } from "../schemas/hostname";
import { toPem } from "./pem";
import { x509 } from "./x509-lib";

export interface SelfSignedOptions {
  days?: number;
  now?: Date;
}

export interface GeneratedCertificate {
  certificatePem: string;
  /** PKCS#8, unencrypted. */
  privateKeyPem: string;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
// Clients with a slightly slow clock would otherwise reject a certificate made seconds ago.
const BACKDATE_MS = 60 * 60 * 1000;

function normalizeDomains(domains: readonly string[]): string[] {
  const names = domains.map((domain) => {
    const parsed = hostnameSchema.safeParse(domain);
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? `"${domain}" is not a hostname`);
    return parsed.data;
  });
  if (names.length === 0) throw new Error("A self-signed certificate needs at least one domain");
  return [...new Set(names)];
}

/** Positive, non-zero leading byte: a minimal DER INTEGER that strict parsers accept. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString("hex");
}

export async function generateSelfSigned(
  domains: readonly string[],
  { days = 365, now = new Date() }: SelfSignedOptions = {},
): Promise<GeneratedCertificate> {
  if (!Number.isFinite(days) || days <= 0) throw new Error("days must be a positive number");
  const names = normalizeDomains(domains);
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;

  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [names[0] ?? ""] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + days * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) ? ("ip" as const) : ("dns" as const), value: name }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  const privateKeyPem = KeyObject.from(keys.privateKey as webcrypto.CryptoKey).export({ type: "pkcs8", format: "pem" });
  return { certificatePem: toPem("CERTIFICATE", new Uint8Array(cert.rawData)), privateKeyPem: String(privateKeyPem) };
}
