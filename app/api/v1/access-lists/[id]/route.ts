import { apiRoute, json, noContent, readJson } from "@/app/api/v1/_lib/respond";
import { deleteAccessList, getAccessList, updateAccessList } from "@/lib/services/access-lists";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ params }) => json(await getAccessList(params.id)));

export const PATCH = apiRoute<Params>(async ({ request, params }) => json(await updateAccessList(params.id, await readJson(request))));

export const DELETE = apiRoute<Params>(async ({ params }) => {
  await deleteAccessList(params.id);
  return noContent();
});
