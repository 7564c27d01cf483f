import type { X509Certificate } from "node:crypto";

/**
 * True when `issuer` signed `child`. checkIssued compares names and key identifiers (telling
 * cross-signed twins apart); verify proves the signature, which names alone cannot.
 */
export function isIssuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * checkIssued(self) is no use here: OpenSSL rejects an issuer without the keyCertSign usage,
 * which a self-signed server certificate rightly lacks.
 */
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export type ChainAnalysis =
  | { kind: "ok" }
  /** Every certificate belongs, but not in signing order; `ordered` is the right order. */
  | { kind: "out-of-order"; ordered: X509Certificate[] }
  /** Nothing in the chain signed the leaf. */
  | { kind: "unrelated" }
  /** The leaf's path uses `ordered`; `extra` certificates belong to no part of it. */
  | { kind: "extra"; ordered: X509Certificate[]; extra: X509Certificate[] };

/** Walks from the leaf up through `chain`, the way TLS clients expect it sent: each one signed by the next. */
export function analyzeChain(leaf: X509Certificate, chain: readonly X509Certificate[]): ChainAnalysis {
  if (chain.length === 0) return { kind: "ok" };
  const remaining = [...chain];
  const ordered: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    // A self-signed root ends the path: nothing can come after it.
    if (ordered.length > 0 && isSelfSigned(current)) break;
    const index = remaining.findIndex((candidate) => isIssuedBy(current, candidate));
    const next = remaining[index];
    if (next === undefined) break;
    ordered.push(next);
    remaining.splice(index, 1);
    current = next;
  }
  if (ordered.length === 0) return { kind: "unrelated" };
  if (remaining.length > 0) return { kind: "extra", ordered, extra: remaining };
  return ordered.every((cert, i) => cert === chain[i]) ? { kind: "ok" } : { kind: "out-of-order", ordered };
}
