import { apiRoute, json, noContent, readJson } from "@/app/api/v1/_lib/respond";
import { deleteStream, getStream, updateStream } from "@/lib/services/streams";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ params }) => json(await getStream(params.id)));

export const PATCH = apiRoute<Params>(async ({ request, params }) => json(await updateStream(params.id, await readJson(request))));

export const DELETE = apiRoute<Params>(async ({ params }) => {
  await deleteStream(params.id);
  return noContent();
});
