import { db, type Prisma } from "../db";
import { AppError, validationError } from "../errors";
import { notifyProxy } from "../config/notify";
import { ipRangeListSchema } from "../schemas/ip-range";
import { bumpRevision } from "./revision";
import {
  appSettingsPatchSchema,
  appSettingsSchema,
  DEFAULT_UNKNOWN_HOST,
  unknownHostSchema,
  type AppSettings,
  type MetricsSettings,
  type UnknownHost,
} from "../schemas/settings";
import { newSecretToken } from "../auth/secret-token";
import { recordAudit } from "../audit/record";
import { OIDC_CLIENT_SECRET_SETTING } from "../backup/backup-tables";
import { openCredentials, sealCredentials } from "../certs/key-crypto";
import { DEFAULT_OIDC, type OidcPatch, type OidcSettings, type OidcStored, oidcEnabledSchema, oidcStoredSchema } from "../schemas/oidc";

const KEYS = {
  acmeEmail: "acme.email",
  acmeStaging: "acme.staging",
  webhookUrl: "webhook.url",
  trustedProxies: "proxy.trustedProxies",
  unknownHost: "proxy.unknownHost",
  oidc: "oidc.config",
} as const;

/** Settings the proxy serves with: a change bumps the config revision and tells the proxy. */
const PROXY_FIELDS: ReadonlySet<string> = new Set(["trustedProxies", "unknownHost"]);

export async function getAppSettings(): Promise<AppSettings> {
  const rows = await db().setting.findMany({ where: { key: { in: [...Object.values(KEYS), OIDC_CLIENT_SECRET_SETTING] } } });
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  return appSettingsSchema.parse({
    acmeEmail: value(KEYS.acmeEmail),
    acmeStaging: value(KEYS.acmeStaging) === "true",
    webhookUrl: value(KEYS.webhookUrl),
    trustedProxies: trustedProxiesFrom(value(KEYS.trustedProxies)),
    unknownHost: unknownHostFrom(value(KEYS.unknownHost)),
    oidc: { ...oidcFrom(value(KEYS.oidc)), hasClientSecret: value(OIDC_CLIENT_SECRET_SETTING) !== undefined },
  });
}

/** Changes only the settings sent; an invalid one changes nothing. */
export async function updateAppSettings(patch: unknown): Promise<AppSettings> {
  const parsed = appSettingsPatchSchema.safeParse(patch);
  if (!parsed.success) throw validationError(parsed.error);
  // An unchanged value still bumps: the proxy skips a snapshot whose content did not change, and
  // not reading first keeps the write lock the transaction's first step (as the site writes do).
  const { oidc: oidcPatch, ...plain } = parsed.data;
  const forProxy = Object.keys(plain).some((field) => PROXY_FIELDS.has(field));
  const before = await getAppSettings();
  const oidc = oidcPatch === undefined ? undefined : mergedOidc(before.oidc, oidcPatch);
  await db().$transaction(async (tx) => {
    if (forProxy) await bumpRevision(tx);
    for (const [field, value] of Object.entries(plain)) {
      const key = KEYS[field as keyof typeof KEYS];
      await tx.setting.upsert({ where: { key }, create: { key, value: stored(value) }, update: { value: stored(value) } });
    }
    if (oidc !== undefined) await saveOidc(tx, oidc, oidcPatch?.clientSecret);
  });
  if (forProxy) notifyProxy();
  const after = await getAppSettings();
  await recordAudit({ action: "update", objectType: "settings", objectId: null, before, after });
  return after;
}

/**
 * The saved single sign-on settings with the change laid over them, checked as a whole: turning it
 * on needs an issuer and a client ID, whether they came in this change or an earlier one.
 */
function mergedOidc(current: OidcSettings, patch: OidcPatch): OidcStored {
  const { hasClientSecret: _kept, ...saved } = current;
  const { clientSecret: _secret, ...fields } = patch;
  const checked = oidcEnabledSchema.safeParse({ ...saved, ...fields });
  if (!checked.success) {
    const details = Object.fromEntries(Object.entries(validationError(checked.error).details).map(([field, message]) => [`oidc.${field}`, message]));
    throw new AppError("validation_failed", "Some fields need attention", details);
  }
  return checked.data;
}

/** The secret is sealed with secret.key in a setting of its own, so that no read of the settings carries it. */
async function saveOidc(tx: Prisma.TransactionClient, oidc: OidcStored, clientSecret: string | null | undefined): Promise<void> {
  await tx.setting.upsert({ where: { key: KEYS.oidc }, create: { key: KEYS.oidc, value: stored(oidc) }, update: { value: stored(oidc) } });
  if (clientSecret === null) await tx.setting.deleteMany({ where: { key: OIDC_CLIENT_SECRET_SETTING } });
  if (typeof clientSecret === "string") {
    const value = sealCredentials({ clientSecret });
    await tx.setting.upsert({ where: { key: OIDC_CLIENT_SECRET_SETTING }, create: { key: OIDC_CLIENT_SECRET_SETTING, value }, update: { value } });
  }
}

/** A stored value that no longer parses is single sign-on switched off. */
function oidcFrom(text: string | undefined): OidcStored {
  const { hasClientSecret: _none, ...off } = DEFAULT_OIDC;
  if (text === undefined) return off;
  try {
    const parsed = oidcStoredSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : off;
  } catch {
    return off;
  }
}

/** The single sign-on settings with the client secret opened, for the sign-in itself (never for a page or the API). */
export async function readOidcWithSecret(): Promise<OidcStored & { clientSecret: string | null }> {
  const rows = await db().setting.findMany({ where: { key: { in: [KEYS.oidc, OIDC_CLIENT_SECRET_SETTING] } } });
  const sealed = rows.find((row) => row.key === OIDC_CLIENT_SECRET_SETTING)?.value;
  const secret = sealed === undefined ? null : openCredentials(sealed).clientSecret;
  return { ...oidcFrom(rows.find((row) => row.key === KEYS.oidc)?.value), clientSecret: typeof secret === "string" ? secret : null };
}

/** Lists and objects are kept as JSON, everything else as its text. */
function stored(value: unknown): string {
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The trusted proxies, read inside the caller's transaction (the snapshot's consistent view). */
export async function readTrustedProxies(client: Prisma.TransactionClient = db()): Promise<string[]> {
  const row = await client.setting.findUnique({ where: { key: KEYS.trustedProxies } });
  return trustedProxiesFrom(row?.value);
}

/** What the proxy does with unknown hostnames, read inside the caller's transaction (the snapshot's consistent view). */
export async function readUnknownHost(client: Prisma.TransactionClient = db()): Promise<UnknownHost> {
  const row = await client.setting.findUnique({ where: { key: KEYS.unknownHost } });
  return unknownHostFrom(row?.value);
}

/** A stored value that no longer parses answers 404, as before the setting existed. */
function unknownHostFrom(text: string | undefined): UnknownHost {
  if (text === undefined) return DEFAULT_UNKNOWN_HOST;
  try {
    const parsed = unknownHostSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_UNKNOWN_HOST;
  } catch {
    return DEFAULT_UNKNOWN_HOST;
  }
}

/** A stored list that no longer parses trusts nobody: forged X-Forwarded-For is then simply ignored. */
function trustedProxiesFrom(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const parsed = ipRangeListSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Its presence is what turns /metrics on; it holds the SHA-256 of the one metrics token. */
const METRICS_TOKEN_KEY = "metrics.tokenHash";

export async function getMetricsSettings(): Promise<MetricsSettings> {
  const row = await db().setting.findUnique({ where: { key: METRICS_TOKEN_KEY } });
  return { enabled: row !== null, tokenCreatedAt: row?.updatedAt.toISOString() ?? null };
}

/**
 * Turns /metrics on with a new token, or replaces the token (the old one stops working at once).
 * Returns the token: the only time it exists outside the scraper's config.
 */
export async function createMetricsToken(): Promise<{ token: string } & MetricsSettings> {
  // Kept apart from API tokens, so it grants /metrics only; its own prefix makes a leaked one recognisable.
  const { token, tokenHash } = newSecretToken("gkm");
  const row = await db().setting.upsert({
    where: { key: METRICS_TOKEN_KEY },
    create: { key: METRICS_TOKEN_KEY, value: tokenHash },
    update: { value: tokenHash },
  });
  return { token, enabled: true, tokenCreatedAt: row.updatedAt.toISOString() };
}

/** Turns /metrics off (it answers 404) and forgets the token. */
export async function disableMetrics(): Promise<void> {
  await db().setting.deleteMany({ where: { key: METRICS_TOKEN_KEY } });
}

/** The stored hash of the metrics token, or null while /metrics is off. */
export async function metricsTokenHash(): Promise<string | null> {
  const row = await db().setting.findUnique({ where: { key: METRICS_TOKEN_KEY } });
  return row?.value ?? null;
}
