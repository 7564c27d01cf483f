import { apiRoute, json, noContent, readJson } from "@/app/api/v1/_lib/respond";
import { deleteDnsProvider, getDnsProvider, updateDnsProvider } from "@/lib/services/dns-providers";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ params }) => json(await getDnsProvider(params.id)));

export const PATCH = apiRoute<Params>(async ({ request, params }) => json(await updateDnsProvider(params.id, await readJson(request))));

export const DELETE = apiRoute<Params>(async ({ params }) => {
  await deleteDnsProvider(params.id);
  return noContent();
});
