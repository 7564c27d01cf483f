import { openPrivateKey } from "../certs/key-crypto";
import { certificateVersion } from "../certs/fingerprint";
import { db } from "../db";
import type { CertificateMaterial } from "../schemas/snapshot";

/**
 * One certificate's PEM text with its key opened, for the worker whose handshake needs it. Throws
 * an Error whose message says in plain words why it cannot be had.
 */
export async function loadCertificateMaterial(id: string): Promise<CertificateMaterial> {
  const row = await db().certificate.findUnique({
    where: { id },
    select: { certificatePem: true, chainPem: true, privateKeyEnc: true },
  });
  if (row === null) throw new Error("The certificate no longer exists.");
  return {
    id,
    version: certificateVersion(row.certificatePem, row.chainPem, row.privateKeyEnc),
    certificatePem: row.certificatePem,
    chainPem: row.chainPem,
    privateKeyPem: openPrivateKey(row.privateKeyEnc),
  };
}
