import { constants } from "node:crypto";
import type tls from "node:tls";
import type { TlsPolicy } from "@/lib/schemas/site-security";

/**
 * Mozilla's "intermediate" configuration: TLS 1.2 and 1.3; for TLS 1.2 only ECDHE key exchange
 * with AES-GCM or ChaCha20-Poly1305 (forward secrecy, no CBC); TLS 1.3 keeps OpenSSL's suites,
 * which are all AEAD. The server's order (strongest and fastest first) wins: Mozilla would let the
 * client choose, but auditors such as testssl.sh flag a server without a cipher order.
 */
const INTERMEDIATE_TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

const CURVES = "X25519:prime256v1:secp384r1";

/**
 * A client may not renegotiate (TLS 1.2): each renegotiation costs the server a full handshake,
 * a cheap way to burn its CPU, and nothing legitimate needs it. nginx refuses it too.
 */
const NO_RENEGOTIATION = constants.SSL_OP_NO_RENEGOTIATION;

export type TlsPolicyOptions = Pick<tls.SecureContextOptions, "minVersion" | "ciphers" | "ecdhCurve" | "honorCipherOrder" | "secureOptions">;

export function tlsPolicyOptions(policy: TlsPolicy): TlsPolicyOptions {
  const common = { ecdhCurve: CURVES, honorCipherOrder: true, secureOptions: NO_RENEGOTIATION };
  return policy === "modern" ? { minVersion: "TLSv1.3", ...common } : { minVersion: "TLSv1.2", ciphers: INTERMEDIATE_TLS12_CIPHERS, ...common };
}
