import { apiRoute, json } from "@/app/api/v1/_lib/respond";
import { requestRenewal } from "@/lib/services/certificates";

type Params = { id: string };

/** Queues a renewal; the proxy runs it in the background, so this answers 202 with `progress` to poll. */
export const POST = apiRoute<Params>(async ({ params }) => json(await requestRenewal(params.id), 202));
