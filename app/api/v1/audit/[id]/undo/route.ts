import { apiRoute, json } from "@/app/api/v1/_lib/respond";
import { undoAuditChange } from "@/lib/services/audit";

type Params = { id: string };

/** Puts the object back as it was before the change; the undo is itself a new change. */
export const POST = apiRoute<Params>(async ({ params }) => json(await undoAuditChange(params.id)));
