import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { secretKey } from "./secret-key-file";

export interface KeyCryptoOptions {
  /** Where secret.key lives; DATA_DIR when omitted. */
  dataDir?: string;
  /** This key instead of secret.key's (a backup's, while restoring it). */
  key?: Buffer;
}

const VERSION = "v1";
const CIPHER = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * What a sealed text is, authenticated with it: a private key cannot be opened as credentials, and
 * the version stops a future format from being fed to this one's decoder.
 */
export type SealPurpose = "private-key" | "credentials" | "totp-secret";
const SEALED_WHAT: Record<SealPurpose, string> = { "private-key": "private key", credentials: "credentials", "totp-secret": "TOTP secret" };
const aad = (purpose: SealPurpose) => Buffer.from(`gatekeeper-${purpose}:${VERSION}`);

export class SealedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedKeyError";
  }
}

/** Encrypts a PEM private key for storage: `v1:<iv>:<tag>:<ciphertext>`, each part base64. */
export function sealPrivateKey(pem: string, options: KeyCryptoOptions = {}): string {
  return seal(pem, "private-key", options);
}

/** Decrypts what sealPrivateKey produced; throws SealedKeyError on any other input. */
export function openPrivateKey(sealed: string, options: KeyCryptoOptions = {}): string {
  return open(sealed, "private-key", options);
}

/** Encrypts a DNS provider's credentials (a JSON object) for storage, like a private key. */
export function sealCredentials(credentials: Record<string, unknown>, options: KeyCryptoOptions = {}): string {
  return seal(JSON.stringify(credentials), "credentials", options);
}

export function openCredentials(sealed: string, options: KeyCryptoOptions = {}): Record<string, unknown> {
  return JSON.parse(open(sealed, "credentials", options)) as Record<string, unknown>;
}

/** Encrypts a user's TOTP secret (base32) for storage: with it anyone could make their codes. */
export function sealTotpSecret(secret: string, options: KeyCryptoOptions = {}): string {
  return seal(secret, "totp-secret", options);
}

export function openTotpSecret(sealed: string, options: KeyCryptoOptions = {}): string {
  return open(sealed, "totp-secret", options);
}

/** Opens with one key and seals with another: what a restore does for another install's backup. */
export function reseal(sealed: string, purpose: SealPurpose, from: Buffer, to: Buffer): string {
  return seal(open(sealed, purpose, { key: from }), purpose, { key: to });
}

function seal(text: string, purpose: SealPurpose, options: KeyCryptoOptions): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, options.key ?? secretKey(options.dataDir), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(purpose));
  const ciphertext = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64"));
  return [VERSION, ...parts].join(":");
}

function strictBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return Buffer.from(text, "base64");
}

function open(sealed: string, purpose: SealPurpose, options: KeyCryptoOptions): string {
  const what = SEALED_WHAT[purpose];
  const parts = sealed.trim().split(":");
  if (parts[0] !== VERSION || parts.length !== 4) {
    throw new SealedKeyError(`This is not a sealed ${what} (expected the "${VERSION}:..." format).`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(strictBase64);
  if (!iv || iv.length !== IV_BYTES || !tag || tag.length !== TAG_BYTES || !ciphertext) {
    throw new SealedKeyError(`The sealed ${what} looks damaged: its parts are not the expected size.`);
  }
  const decipher = createDecipheriv(CIPHER, options.key ?? secretKey(options.dataDir), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(purpose));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedKeyError(
      `The sealed ${what} could not be decrypted: it was altered, or it was sealed with a different ` +
        "secret.key than the one in the data directory.",
    );
  }
}
