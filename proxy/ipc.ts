import type { ProxySnapshot } from "../lib/schemas/snapshot";

/** Messages between the proxy primary and its data-plane workers (node:cluster IPC). */
export type PrimaryToWorker =
  | { type: "snapshot"; snapshot: ProxySnapshot; fallbackCertificate: FallbackCertificate };

export type WorkerToPrimary =
  | { type: "listening" }
  | { type: "applied"; revision: number; siteErrors: Record<string, string> }
  | { type: "apply-failed"; revision: number; error: string }
  | { type: "listen-error"; port: number; code: string };

/** The certificate served when SNI names no known site, so a handshake still completes. */
export interface FallbackCertificate {
  certificatePem: string;
  privateKeyPem: string;
}
