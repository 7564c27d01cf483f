import { apiRoute, json, noContent, readJson } from "@/app/api/v1/_lib/respond";
import { deleteUser, updateUser } from "@/lib/services/users";

type Params = { id: string };

export const PATCH = apiRoute<Params>(async ({ request, params }) => json(await updateUser(params.id, await readJson(request))), "admin");

export const DELETE = apiRoute<Params>(async ({ params, principal }) => {
  await deleteUser(params.id, principal.user);
  return noContent();
}, "admin");
