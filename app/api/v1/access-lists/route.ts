import { apiRoute, json, readJson } from "../_lib/respond";
import { createAccessList, listAccessLists } from "@/lib/services/access-lists";

export const GET = apiRoute(async () => json(await listAccessLists()));

export const POST = apiRoute(async ({ request }) => json(await createAccessList(await readJson(request)), 201));
