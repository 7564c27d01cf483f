import * as acme from "acme-client";
import type { AcmeEnv } from "./acme-env";

/**
 * Which ACME server an order goes to: ACME_DIRECTORY_URL when set (ZeroSSL, step-ca, Pebble, ...),
 * otherwise Let's Encrypt, production or staging as the order asks.
 */
export function directoryUrlFor(staging: boolean, env: AcmeEnv = process.env): string {
  const override = env.ACME_DIRECTORY_URL?.trim();
  if (override) return override;
  return staging ? acme.directory.letsencrypt.staging : acme.directory.letsencrypt.production;
}

const KNOWN: Array<[string, string]> = [
  [acme.directory.letsencrypt.production, "Let's Encrypt"],
  [acme.directory.letsencrypt.staging, "Let's Encrypt (staging)"],
  [acme.directory.zerossl.production, "ZeroSSL"],
  [acme.directory.buypass.production, "Buypass"],
  [acme.directory.buypass.staging, "Buypass (staging)"],
  [acme.directory.google.production, "Google Trust Services"],
  [acme.directory.google.staging, "Google Trust Services (staging)"],
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
