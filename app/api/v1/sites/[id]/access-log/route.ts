import { apiRoute, json } from "@/app/api/v1/_lib/respond";
import { accessLogQueryInput } from "@/lib/schemas/access-log-query";
import { siteAccessLog } from "@/lib/services/access-log";

type Params = { id: string };

/**
 * GET /api/v1/sites/:id/access-log?status=&method=&path=&clientIp=&blocked=&limit= -> { entries, total }
 * blocked=1 (or true): only the requests a protection refused; entries carry `blockedBy` when one did.
 */
export const GET = apiRoute<Params>(async ({ request, params }) =>
  json(await siteAccessLog(params.id, accessLogQueryInput(request.nextUrl.searchParams))),
);
