import { apiRoute, json, readJson } from "../_lib/respond";
import { createSite, listSites } from "@/lib/services/sites";

export const GET = apiRoute(async () => json(await listSites()));

export const POST = apiRoute(async ({ request }) => json(await createSite(await readJson(request)), 201));
