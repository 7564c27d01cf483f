import { apiRoute, readJson } from "../_lib/respond";
import { AppError } from "@/lib/errors";
import { backupFileName, createBackup } from "@/lib/services/backups";

/** `{ passphrase }` -> the encrypted backup file. */
export const POST = apiRoute(async ({ request }) => {
  const body = await readJson(request);
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new AppError("validation_failed", 'Send a JSON object: { "passphrase": "…" }');
  const file = createBackup((body as { passphrase?: unknown }).passphrase);
  return new Response(new Uint8Array(file), {
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${backupFileName()}"`,
      "cache-control": "no-store",
    },
  });
});
