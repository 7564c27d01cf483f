import { apiRoute, json, readJson } from "../_lib/respond";
import { createStream, listStreams } from "@/lib/services/streams";

export const GET = apiRoute(async () => json(await listStreams()));

export const POST = apiRoute(async ({ request }) => json(await createStream(await readJson(request)), 201));
