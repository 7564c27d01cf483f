import { apiRoute, json, readJson } from "../_lib/respond";
import { getAppSettings, updateAppSettings } from "../../../../lib/services/settings";

export const GET = apiRoute(async () => json(await getAppSettings()));

/** Any subset of { acmeEmail, acmeStaging, webhookUrl }; one bad field changes nothing. */
export const PATCH = apiRoute(async ({ request }) => json(await updateAppSettings(await readJson(request))));
