import { apiRoute, json, readJson } from "../_lib/respond";
import { explainRequest } from "@/lib/services/explain";

/** A question, not a change: viewers may ask it. */
export const POST = apiRoute(async ({ request }) => json(await explainRequest(await readJson(request))), "viewer");
