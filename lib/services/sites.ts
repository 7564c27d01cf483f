import { db, type Prisma } from "../db";
import { isUniqueViolation } from "../db-errors";
import { AppError, notFound, validationError } from "../errors";
import { mergeSitePatch, siteInputSchema, type Site, type SiteData } from "../schemas/site";
import { notifyProxy } from "../config/notify";
import { bumpRevision } from "./revision";
import { withRouteIds } from "./route-ids";
import { coveringWildcardCertificate } from "./certificates";
import { recordAudit } from "../audit/record";
import { assertAccessListExists } from "./access-lists";
import { siteColumns, siteInclude, toSite, toSiteData } from "./site-mapper";
import { healthOf } from "./upstream-health";

type Tx = Prisma.TransactionClient;

export async function listSites(): Promise<Site[]> {
  const rows = await db().site.findMany({ include: siteInclude, orderBy: { createdAt: "asc" } });
  const health = await healthOf(rows.flatMap((row) => row.upstreams.map((upstream) => upstream.id)));
  return rows.map((row) => toSite(row, health));
}

export async function getSite(id: string): Promise<Site> {
  const row = await db().site.findUnique({ where: { id }, include: siteInclude });
  if (!row) throw notFound("Site");
  return toSite(row, await healthOf(row.upstreams.map((upstream) => upstream.id)));
}

/** A new site that names no certificate (and does not ask for none) picks up a wildcard certificate that covers it. */
export async function createSite(input: unknown): Promise<Site> {
  const parsed = siteInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const site = parsed.data;
  const unchosen = typeof input === "object" && input !== null && !("certificateId" in input);
  const certificateId = unchosen ? ((await coveringWildcardCertificate(site.hostnames))?.id ?? null) : site.certificateId;
  const id = await writeSite(null, { ...site, certificateId, routes: withRouteIds([], site.routes) });
  const created = await getSite(id);
  await recordAudit({ action: "create", objectType: "site", objectId: id, after: created });
  return created;
}

export async function updateSite(id: string, patch: unknown): Promise<Site> {
  const current = await getSite(id);
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new AppError("validation_failed", "Send a JSON object with the fields to change");
  }
  const merged = mergeSitePatch(toSiteData(current), patch);
  if (!merged.success) throw validationError(merged.error);
  await writeSite(id, { ...merged.data, routes: withRouteIds(current.routes, merged.data.routes) });
  const updated = await getSite(id);
  await recordAudit({ action: "update", objectType: "site", objectId: id, before: current, after: updated });
  return updated;
}

export async function deleteSite(id: string): Promise<void> {
  const before = await getSite(id);
  await db().$transaction(async (tx) => {
    await bumpRevision(tx);
    const { count } = await tx.site.deleteMany({ where: { id } });
    if (count === 0) throw notFound("Site");
  });
  notifyProxy();
  await recordAudit({ action: "delete", objectType: "site", objectId: id, before });
}

/** Creates (id null) or replaces a site, checking what only the database can know. */
async function writeSite(id: string | null, site: SiteData): Promise<string> {
  let savedId: string;
  try {
    savedId = await db().$transaction(async (tx) => {
      // Write first: it takes SQLite's write lock up front (waiting on the busy timeout), so the
      // reads below cannot go stale and fail with SQLITE_BUSY when the proxy writes meanwhile.
      const revision = await bumpRevision(tx);
      await assertHostnamesFree(tx, id, site.hostnames);
      await assertCertificateExists(tx, site.certificateId);
      await assertAccessListExists(tx, site.accessListId);
      const fields = { ...siteColumns(site), revision, updatedAt: new Date() };
      const row = id === null ? await tx.site.create({ data: fields }) : await tx.site.update({ where: { id }, data: fields });
      await tx.hostname.deleteMany({ where: { siteId: row.id } });
      await tx.hostname.createMany({
        data: site.hostnames.map((hostname, position) => ({ hostname, position, siteId: row.id })),
      });
      await saveUpstreams(tx, row.id, site.upstreams);
      return row.id;
    });
  } catch (error) {
    // Two writers racing for one hostname: the primary key on Hostname has the last word.
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "A hostname of this site was just claimed by another site", {
        hostnames: "One of these hostnames already belongs to another site",
      });
    }
    throw error;
  }
  notifyProxy();
  return savedId;
}

/**
 * Keeps each upstream row (and so its id) whose URL stays, updating its weight and position;
 * removes the rest and adds the new ones. The proxy keys live state by these ids (load-balancing
 * credits, passive and active health), so an edit that leaves an upstream alone leaves its state alone.
 */
async function saveUpstreams(tx: Tx, siteId: string, upstreams: SiteData["upstreams"]): Promise<void> {
  const existing = await tx.upstream.findMany({ where: { siteId }, orderBy: { position: "asc" } });
  const unclaimed = new Map<string, typeof existing>();
  for (const row of existing) unclaimed.set(row.url, [...(unclaimed.get(row.url) ?? []), row]);
  const added: { url: string; weight: number; position: number; siteId: string }[] = [];
  for (const [position, { url, weight }] of upstreams.entries()) {
    // A URL listed twice keeps two rows: each stored row is claimed once.
    const row = unclaimed.get(url)?.shift();
    if (row === undefined) added.push({ url, weight, position, siteId });
    else if (row.weight !== weight || row.position !== position) await tx.upstream.update({ where: { id: row.id }, data: { weight, position } });
  }
  const removed = [...unclaimed.values()].flat().map((row) => row.id);
  if (removed.length > 0) await tx.upstream.deleteMany({ where: { id: { in: removed } } });
  if (added.length > 0) await tx.upstream.createMany({ data: added });
}

async function assertHostnamesFree(tx: Tx, siteId: string | null, hostnames: string[]): Promise<void> {
  const taken = await tx.hostname.findMany({
    where: { hostname: { in: hostnames }, ...(siteId ? { siteId: { not: siteId } } : {}) },
    include: { site: { select: { name: true } } },
  });
  if (taken.length === 0) return;
  const details: Record<string, string> = {};
  for (const row of taken) {
    details[`hostnames.${hostnames.indexOf(row.hostname)}`] = `${row.hostname} already belongs to the site "${row.site.name}"`;
  }
  const names = taken.map((row) => row.hostname).join(", ");
  throw new AppError("conflict", `${names} already ${taken.length === 1 ? "belongs" : "belong"} to another site`, details);
}

async function assertCertificateExists(tx: Tx, certificateId: string | null): Promise<void> {
  if (certificateId === null) return;
  const found = await tx.certificate.findUnique({ where: { id: certificateId }, select: { certificatePem: true } });
  if (!found) {
    throw new AppError("validation_failed", "Some fields need attention", {
      certificateId: "There is no certificate with this id",
    });
  }
  if (found.certificatePem === "") {
    throw new AppError("validation_failed", "Some fields need attention", {
      certificateId: "This certificate has not been issued yet: the site switches to it by itself once it is",
    });
  }
}
