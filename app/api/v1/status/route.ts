import { apiRoute, json } from "../_lib/respond";
import { getStatus } from "@/lib/services/status";

export const GET = apiRoute(async () => json(await getStatus()));
