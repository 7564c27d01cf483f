import { apiRoute, json, readJson } from "@/app/api/v1/_lib/respond";
import { purgeSiteCache } from "@/lib/services/cache-purge";

type Params = { id: string };

/** `{}` (everything), `{ prefix }` or `{ url }` -> `{ purged }`: a change to what visitors get, so an operator's. */
export const POST = apiRoute<Params>(async ({ request, params }) => json(await purgeSiteCache(params.id, await readJson(request))));
