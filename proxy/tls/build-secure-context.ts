import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import tls from "node:tls";

/** TLS 1.0 and 1.1 are broken and deprecated (RFC 8996): every context and server refuses them. */
export const MIN_TLS_VERSION = "TLSv1.2" as const;

export interface CertificatePems {
  certificatePem: string;
  chainPem?: string;
  privateKeyPem: string;
}

export type SecureContextResult =
  /** `fingerprint256`: the leaf certificate's, to compare with what a handshake really presents. */
  { ok: true; context: tls.SecureContext; fingerprint256: string } | { ok: false; error: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Turns PEM text into a ready SecureContext, or says in plain words why it cannot. Each check
 * runs separately because OpenSSL's own messages ("key values mismatch", "no start line") mean
 * nothing to the people who will read them on the dashboard.
 */
export function buildSecureContext(pems: CertificatePems): SecureContextResult {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(pems.certificatePem);
  } catch {
    return { ok: false, error: "The certificate is not a valid PEM certificate." };
  }

  let key: KeyObject;
  try {
    key = createPrivateKey(pems.privateKeyPem);
  } catch {
    return {
      ok: false,
      error: "The private key is not a valid PEM private key (it may be damaged or protected by a passphrase).",
    };
  }
  if (!leaf.checkPrivateKey(key)) {
    return { ok: false, error: "The private key does not belong to this certificate." };
  }

  const chain = (pems.chainPem ?? "").trim();
  if (chain.length > 0) {
    const blocks = chain.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) return { ok: false, error: "The certificate chain is not valid PEM." };
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        return { ok: false, error: "The certificate chain contains a certificate that cannot be read." };
      }
    }
  }

  try {
    const context = tls.createSecureContext({
      cert: chain.length > 0 ? `${pems.certificatePem.trim()}\n${chain}\n` : pems.certificatePem,
      key: pems.privateKeyPem,
      minVersion: MIN_TLS_VERSION,
    });
    return { ok: true, context, fingerprint256: leaf.fingerprint256 };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `The certificate could not be loaded (${detail}).` };
  }
}
