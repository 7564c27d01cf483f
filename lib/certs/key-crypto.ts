import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { secretKey } from "./secret-key-file";

export interface KeyCryptoOptions {
  /** Where secret.key lives; DATA_DIR when omitted. */
  dataDir?: string;
}

const VERSION = "v1";
const CIPHER = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Authenticating the version stops a future format from being fed to this one's decoder.
const AAD = Buffer.from(`gatekeeper-private-key:${VERSION}`);

export class SealedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedKeyError";
  }
}

/** Encrypts a PEM private key for storage: `v1:<iv>:<tag>:<ciphertext>`, each part base64. */
export function sealPrivateKey(pem: string, options: KeyCryptoOptions = {}): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, secretKey(options.dataDir), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(pem, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64"));
  return [VERSION, ...parts].join(":");
}

function strictBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return Buffer.from(text, "base64");
}

/** Decrypts what sealPrivateKey produced; throws SealedKeyError on any other input. */
export function openPrivateKey(sealed: string, options: KeyCryptoOptions = {}): string {
  const parts = sealed.trim().split(":");
  if (parts[0] !== VERSION || parts.length !== 4) {
    throw new SealedKeyError(`This is not a sealed private key (expected the "${VERSION}:..." format).`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(strictBase64);
  if (!iv || iv.length !== IV_BYTES || !tag || tag.length !== TAG_BYTES || !ciphertext) {
    throw new SealedKeyError("This sealed private key is damaged: its parts are not the expected size.");
  }
  const decipher = createDecipheriv(CIPHER, secretKey(options.dataDir), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedKeyError(
      "The sealed private key could not be decrypted: it was altered, or it was sealed with a different " +
        "secret.key than the one in the data directory.",
    );
  }
}
