import type { AcmeEnv } from "./acme-env";

// The CAs' published directory URLs (as acme-client lists them), here so that naming a CA in a
// message does not load the ACME client.
const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

/**
 * Which ACME server an order goes to: ACME_DIRECTORY_URL when set (ZeroSSL, step-ca, Pebble, ...),
 * otherwise Let's Encrypt, production or staging as the order asks.
 */
export function directoryUrlFor(staging: boolean, env: AcmeEnv = process.env): string {
  const override = env.ACME_DIRECTORY_URL?.trim();
  if (override) return override;
  return staging ? LETS_ENCRYPT_STAGING : LETS_ENCRYPT;
}

const KNOWN: Array<[string, string]> = [
  [LETS_ENCRYPT, "Let's Encrypt"],
  [LETS_ENCRYPT_STAGING, "Let's Encrypt (staging)"],
  ["https://acme.zerossl.com/v2/DV90", "ZeroSSL"],
  ["https://api.buypass.com/acme/directory", "Buypass"],
  ["https://api.test4.buypass.no/acme/directory", "Buypass (staging)"],
  ["https://dv.acme-v02.api.pki.goog/directory", "Google Trust Services"],
  ["https://dv.acme-v02.test-api.pki.goog/directory", "Google Trust Services (staging)"],
];

/** The CA's name as people know it, for messages: "Let's Encrypt", or "The certificate authority". */
export function caName(directoryUrl: string): string {
  return KNOWN.find(([url]) => url === directoryUrl)?.[1] ?? "The certificate authority";
}

/** "Let's Encrypt's" / "The certificate authority's". */
export function caPossessive(directoryUrl: string): string {
  const name = caName(directoryUrl);
  return name.endsWith(")") ? name.replace(/ \(/, "'s (") : `${name}'s`;
}
