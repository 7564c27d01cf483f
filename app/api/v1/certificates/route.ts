import { apiRoute, json, readJson } from "../_lib/respond";
import { createCertificate, listCertificates } from "../../../../lib/services/certificates";

export const GET = apiRoute(async () => json(await listCertificates()));

export const POST = apiRoute(async ({ request }) => {
  const { certificate, warnings } = await createCertificate(await readJson(request));
  return json({ ...certificate, warnings }, 201);
});
