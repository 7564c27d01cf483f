import { apiRoute, json, noContent } from "@/app/api/v1/_lib/respond";
import { deleteCertificate, getCertificate } from "@/lib/services/certificates";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ params }) => json(await getCertificate(params.id)));

export const DELETE = apiRoute<Params>(async ({ params }) => {
  await deleteCertificate(params.id);
  return noContent();
});
