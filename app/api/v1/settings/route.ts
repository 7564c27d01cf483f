import { apiRoute, json, readJson } from "../_lib/respond";
import { getAppSettings, updateAppSettings } from "../../../../lib/services/settings";

export const GET = apiRoute(async () => json(await getAppSettings()));

/**
 * Any subset of { acmeEmail, acmeStaging, webhookUrl, trustedProxies }; one bad field changes
 * nothing. A change of trustedProxies (a list of IPs or CIDR ranges) reaches the proxy live.
 */
export const PATCH = apiRoute(async ({ request }) => json(await updateAppSettings(await readJson(request))));
