import { apiRoute, json, readJson } from "@/app/api/v1/_lib/respond";
import { testDnsProvider } from "@/lib/services/dns-providers";

type Params = { id: string };

/** Creates a TXT record under `domain`, waits until it is served, deletes it: `{ ok, steps }`. */
export const POST = apiRoute<Params>(async ({ request, params }) => json(await testDnsProvider(params.id, await readJson(request))));
