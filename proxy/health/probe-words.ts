/** Plain words for why a check could not reach an upstream, by Node's error code. */
const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset",
  EHOSTUNREACH: "Host unreachable",
  ENETUNREACH: "Network unreachable",
  ENOTFOUND: "Host name not found",
  EAI_AGAIN: "Host name lookup failed",
  ETIMEDOUT: "Connection timed out",
  CERT_HAS_EXPIRED: "The upstream's certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "The upstream's certificate is self-signed (turn off certificate verification to allow it)",
  SELF_SIGNED_CERT_IN_CHAIN: "The upstream's certificate chain is self-signed (turn off certificate verification to allow it)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The upstream's certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "The upstream's certificate does not match its host name",
};

export function failureWords(error: NodeJS.ErrnoException): string {
  const code = error.code ?? "";
  return ERROR_WORDS[code] ?? (code ? `Connection failed: ${code}` : error.message);
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
