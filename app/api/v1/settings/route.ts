import { apiRoute, json, readJson } from "../_lib/respond";
import { getAppSettings, updateAppSettings } from "@/lib/services/settings";
import { settingsWarnings, type AppSettings } from "@/lib/schemas/settings";

/** The settings, with `warnings` by field path for values that are allowed but risky. */
const answer = (settings: AppSettings) => json({ ...settings, warnings: settingsWarnings(settings) });

export const GET = apiRoute(async () => answer(await getAppSettings()));

/**
 * Any subset of { acmeEmail, acmeStaging, webhookUrl, trustedProxies, unknownHost }; one bad field
 * changes nothing. A change of trustedProxies (a list of IPs or CIDR ranges) or of unknownHost
 * (sent whole) reaches the proxy live; 0.0.0.0/0 or ::/0 in trustedProxies is saved, with a warning.
 */
export const PATCH = apiRoute(async ({ request }) => answer(await updateAppSettings(await readJson(request))), "admin");
