import { recordAudit } from "../audit/record";
import { askProxy } from "../config/control-client";
import { db } from "../db";
import { notFound, validationError } from "../errors";
import { cachePurgeSchema } from "../schemas/cache-purge";

/** A purge walks the site's whole store (memory and disk): longer than a question, shorter than an ACME order. */
const PURGE_TIMEOUT_MS = 30_000;

/**
 * Removes stored answers from one site's cache (see cachePurgeSchema: everything, a path prefix,
 * or one URL) and says how many went. The store lives in the proxy, so the proxy must be running
 * (ProxyUnreachableError otherwise). Recorded in the history: visitors get fresh answers after it.
 */
export async function purgeSiteCache(siteId: string, input: unknown): Promise<{ purged: number }> {
  const parsed = cachePurgeSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const site = await db().site.findUnique({ where: { id: siteId }, select: { id: true } });
  if (site === null) throw notFound("Site");
  const { purged } = await askProxy<{ purged: number }>("/cache/purge", { siteId: site.id, ...parsed.data }, PURGE_TIMEOUT_MS);
  const what = parsed.data.prefix !== undefined || parsed.data.url !== undefined ? parsed.data : { everything: true };
  await recordAudit({ action: "cache-purge", objectType: "site", objectId: site.id, after: { ...what, purged } });
  return { purged };
}
