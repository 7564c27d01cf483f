import { apiRoute, json, readJson } from "../_lib/respond";
import { explainRequest } from "@/lib/services/explain";

export const POST = apiRoute(async ({ request }) => json(await explainRequest(await readJson(request))));
