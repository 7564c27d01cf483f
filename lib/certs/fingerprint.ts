import { createHash } from "node:crypto";

const FIRST_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/**
 * The SHA-256 fingerprint of the first certificate in PEM text, written as Node's
 * X509Certificate.fingerprint256 writes it ("AB:CD:..."), without parsing the certificate: cheap
 * enough for every certificate of every snapshot. "" when there is no certificate block.
 */
export function pemFingerprint256(pem: string): string {
  const body = FIRST_CERTIFICATE.exec(pem)?.[1];
  if (body === undefined) return "";
  const digest = createHash("sha256")
    .update(Buffer.from(body.replace(/\s+/g, ""), "base64"))
    .digest("hex")
    .toUpperCase();
  return digest.match(/../g)!.join(":");
}

/** Identifies one certificate's content (certificate, chain and sealed key) without opening the key. */
export function certificateVersion(certificatePem: string, chainPem: string, sealedKey: string): string {
  return createHash("sha256").update(certificatePem).update("\0").update(chainPem).update("\0").update(sealedKey).digest("base64url");
}
