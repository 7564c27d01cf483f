import { db } from "../db";
import { validationError } from "../errors";
import { appSettingsPatchSchema, appSettingsSchema, type AppSettings } from "../schemas/settings";

const KEYS = { acmeEmail: "acme.email", acmeStaging: "acme.staging", webhookUrl: "webhook.url" } as const;

export async function getAppSettings(): Promise<AppSettings> {
  const rows = await db().setting.findMany({ where: { key: { in: Object.values(KEYS) } } });
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  return appSettingsSchema.parse({
    acmeEmail: value(KEYS.acmeEmail),
    acmeStaging: value(KEYS.acmeStaging) === "true",
    webhookUrl: value(KEYS.webhookUrl),
  });
}

/** Changes only the settings sent; an invalid one changes nothing. */
export async function updateAppSettings(patch: unknown): Promise<AppSettings> {
  const parsed = appSettingsPatchSchema.safeParse(patch);
  if (!parsed.success) throw validationError(parsed.error);
  await db().$transaction(async (tx) => {
    for (const [field, value] of Object.entries(parsed.data)) {
      const key = KEYS[field as keyof typeof KEYS];
      await tx.setting.upsert({ where: { key }, create: { key, value: String(value) }, update: { value: String(value) } });
    }
  });
  return getAppSettings();
}
