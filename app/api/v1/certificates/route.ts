import { apiRoute, json, readJson } from "../_lib/respond";
import { createCertificate, listCertificates } from "@/lib/services/certificates";

export const GET = apiRoute(async () => json(await listCertificates()));

/** Uploads and self-signed certificates exist when this answers (201); an ACME order has only started (202). */
export const POST = apiRoute(async ({ request }) => {
  const { certificate, warnings } = await createCertificate(await readJson(request));
  return json({ ...certificate, warnings }, certificate.source === "acme" ? 202 : 201);
});
