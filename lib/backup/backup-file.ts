import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";

/** What a backup holds once opened: the rows of every backed-up table, and what they need. */
export const backupContentsSchema = z.object({
  format: z.literal(1),
  createdAt: z.string(),
  /** The migrations the database had: a restore brings the rows up to this version's schema. */
  migrations: z.array(z.string()),
  /** The key private keys and credentials are sealed with, so another install can reseal them. */
  secretKey: z.string(),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});
export type BackupContents = z.infer<typeof backupContentsSchema>;

/** The file as written: only the envelope is readable without the passphrase. */
const envelopeSchema = z.object({
  magic: z.literal("gatekeeper-backup"),
  format: z.number(),
  kdf: z.object({ name: z.literal("scrypt"), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});

const FORMAT = 1;
const CIPHER = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const SALT_BYTES = 16;
const TAG_BYTES = 16;
/** scrypt at 32 MiB and about a tenth of a second: slow for guessing, quick for one restore. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
const SCRYPT_MAX_N = 2 ** 20;

/** A backup that cannot be opened, in words a person can act on. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

function deriveKey(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase.normalize("NFC"), salt, KEY_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}

/** Compresses and encrypts the contents with a key made from the passphrase. */
export function sealBackup(contents: BackupContents, passphrase: string): Buffer {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, deriveKey(passphrase, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(gzipSync(JSON.stringify(contents))), cipher.final()]);
  const envelope = {
    magic: "gatekeeper-backup",
    format: FORMAT,
    kdf: { name: "scrypt", ...SCRYPT, salt: salt.toString("base64") },
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
  return Buffer.from(`${JSON.stringify(envelope)}\n`);
}

/** Opens a backup; a file that is not one, is damaged, or does not open with this passphrase throws BackupError. */
export function openBackup(file: Buffer, passphrase: string): BackupContents {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString("utf8"));
  } catch {
    throw new BackupError("This file is not a Gatekeeper backup");
  }
  if ((parsed as { magic?: unknown } | null)?.magic !== "gatekeeper-backup") throw new BackupError("This file is not a Gatekeeper backup");
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) throw new BackupError("The backup file is damaged: parts of it are missing");
  const { format, kdf, iv, tag, data } = envelope.data;
  if (format > FORMAT) throw new BackupError("This backup was made by a newer version of Gatekeeper: upgrade this one first");
  if (kdf.N > SCRYPT_MAX_N || kdf.N < 2 || kdf.r > 32 || kdf.p > 16)
    throw new BackupError("The backup file is damaged: its key settings are out of range");
  let plain: Buffer;
  try {
    const key = deriveKey(passphrase, Buffer.from(kdf.salt, "base64"), kdf);
    // A fixed tag length: a shortened tag would make a forged file easier to pass.
    const decipher = createDecipheriv(CIPHER, key, Buffer.from(iv, "base64"), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]);
  } catch {
    throw new BackupError("The passphrase does not open this backup (or the file was changed after it was made)");
  }
  try {
    return backupContentsSchema.parse(JSON.parse(gunzipSync(plain).toString("utf8")));
  } catch {
    throw new BackupError("The backup file is damaged: its contents cannot be read");
  }
}
