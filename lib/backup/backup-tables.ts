import type { SealPurpose } from "../certs/key-crypto";

/**
 * The tables a backup holds, parents before children (the order rows are put back in): everything
 * a person configured. Every other table is listed in NOT_BACKED_UP with the reason, and a test
 * makes each new table choose one side.
 */
export const BACKED_UP_TABLES = [
  "User",
  "RecoveryCode",
  "ApiToken",
  "Setting",
  "DnsProvider",
  "AccessList",
  "AccessListUser",
  "Certificate",
  "Site",
  "Hostname",
  "Upstream",
  "Stream",
  "StreamUpstream",
  "AuditEntry",
] as const;
export type BackedUpTable = (typeof BACKED_UP_TABLES)[number];

export const NOT_BACKED_UP_TABLES: Record<string, string> = {
  PendingSignIn: "a sign-in halfway through, good for five minutes",
  Session: "sign-ins belong to this install; those of users the backup keeps stay signed in",
  ConfigRevision: "a restore bumps it, so the proxy applies what was restored",
  ProxyState: "what the proxy serves now, written by the proxy",
  UpstreamHealth: "measured again within seconds",
  UpstreamHealthEvent: "a timeline of this install's checks",
  TrafficMinute: "measurements, not configuration, and large",
  TrafficHour: "measurements, not configuration, and large",
  _prisma_migrations: "the backup records its migrations itself",
};

/** Columns sealed with the install's secret.key: another install's backup is resealed with its own. */
export const SEALED_COLUMNS: { table: BackedUpTable; column: string; purpose: SealPurpose }[] = [
  { table: "Certificate", column: "privateKeyEnc", purpose: "private-key" },
  { table: "DnsProvider", column: "credentialsEnc", purpose: "credentials" },
  { table: "User", column: "totpSecretEnc", purpose: "totp-secret" },
];

/** Settings whose JSON value holds a sealed private key in `key` (ACME accounts). */
export const SEALED_SETTING_PREFIX = "acme.account:";

/** The scheduled backups' passphrase: a setting whose whole value is sealed credentials. */
export const BACKUP_PASSPHRASE_SETTING = "backup.passphrase";
/** The single sign-on client secret: also sealed credentials, `{ clientSecret }`. */
export const OIDC_CLIENT_SECRET_SETTING = "oidc.clientSecret";
export const SEALED_SETTINGS: ReadonlySet<string> = new Set([BACKUP_PASSPHRASE_SETTING, OIDC_CLIENT_SECRET_SETTING]);

/** What a restore shows per kind of object: its table, its key, what names it, and its child tables. */
export const RESTORE_SUBJECTS = {
  sites: {
    table: "Site",
    id: "id",
    label: "name",
    children: [
      { table: "Hostname", parent: "siteId" },
      { table: "Upstream", parent: "siteId" },
    ],
  },
  streams: { table: "Stream", id: "id", label: "name", children: [{ table: "StreamUpstream", parent: "streamId" }] },
  certificates: { table: "Certificate", id: "id", label: "name", children: [] },
  accessLists: { table: "AccessList", id: "id", label: "name", children: [{ table: "AccessListUser", parent: "accessListId" }] },
  dnsProviders: { table: "DnsProvider", id: "id", label: "name", children: [] },
  users: { table: "User", id: "id", label: "email", children: [{ table: "RecoveryCode", parent: "userId" }] },
  apiTokens: { table: "ApiToken", id: "id", label: "name", children: [] },
  settings: { table: "Setting", id: "key", label: "key", children: [] },
} as const satisfies Record<
  string,
  { table: BackedUpTable; id: string; label: string; children: readonly { table: BackedUpTable; parent: string }[] }
>;
export type RestoreSubject = keyof typeof RESTORE_SUBJECTS;

/** Columns that differ after any restore without a change of meaning: left out of the comparison. */
export const VOLATILE_COLUMNS = new Set(["revision", "privateKeyEnc", "credentialsEnc", "totpSecretEnc", "lastUsedAt"]);
