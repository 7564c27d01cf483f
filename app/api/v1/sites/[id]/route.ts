import { apiRoute, json, noContent, readJson } from "@/app/api/v1/_lib/respond";
import { deleteSite, getSite, updateSite } from "@/lib/services/sites";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ params }) => json(await getSite(params.id)));

export const PATCH = apiRoute<Params>(async ({ request, params }) => json(await updateSite(params.id, await readJson(request))));

export const DELETE = apiRoute<Params>(async ({ params }) => {
  await deleteSite(params.id);
  return noContent();
});
