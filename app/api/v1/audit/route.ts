import { apiRoute, json } from "../_lib/respond";
import { listAuditChanges } from "@/lib/services/audit";

/** `?objectType=&objectId=&actor=&from=&to=&limit=`: the change history, newest first. */
export const GET = apiRoute(async ({ request }) => json(await listAuditChanges(Object.fromEntries(request.nextUrl.searchParams))));
