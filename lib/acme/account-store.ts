import { db } from "../db";
import { openPrivateKey, sealPrivateKey } from "../certs/key-crypto";

/** One ACME account per directory URL: its key (sealed like every private key) and its URL. */
export interface AcmeAccount {
  keyPem: string;
  /** Known once the CA registered the account. */
  url: string | null;
  /** The contact the CA has on file, so a changed email is sent once. */
  email: string | null;
}

export interface AcmeAccountStore {
  load(directoryUrl: string): Promise<AcmeAccount | null>;
  save(directoryUrl: string, account: AcmeAccount): Promise<void>;
}

interface StoredValue {
  key: string;
  url: string | null;
  email: string | null;
}

const keyFor = (directoryUrl: string) => `acme.account:${directoryUrl}`;

/** Reads the account; null when there is none, or when its key can no longer be decrypted. */
export async function loadAcmeAccount(directoryUrl: string): Promise<AcmeAccount | null> {
  const row = await db().setting.findUnique({ where: { key: keyFor(directoryUrl) } });
  if (!row) return null;
  try {
    const value = JSON.parse(row.value) as StoredValue;
    return { keyPem: openPrivateKey(value.key), url: value.url ?? null, email: value.email ?? null };
  } catch {
    // A restored database without its secret.key: start a new account rather than fail forever.
    return null;
  }
}

export async function saveAcmeAccount(directoryUrl: string, account: AcmeAccount): Promise<void> {
  const value: StoredValue = { key: sealPrivateKey(account.keyPem), url: account.url, email: account.email };
  const text = JSON.stringify(value);
  await db().setting.upsert({ where: { key: keyFor(directoryUrl) }, create: { key: keyFor(directoryUrl), value: text }, update: { value: text } });
}

/** The store in the Setting table. */
export const settingsAccountStore: AcmeAccountStore = { load: loadAcmeAccount, save: saveAcmeAccount };
