import { apiRoute, json, readJson } from "../_lib/respond";
import { createDnsProvider, listDnsProviders } from "@/lib/services/dns-providers";

export const GET = apiRoute(async () => json(await listDnsProviders()));

export const POST = apiRoute(async ({ request }) => json(await createDnsProvider(await readJson(request)), 201));
