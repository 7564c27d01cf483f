import { db, type Prisma } from "../db";
import { chunked } from "../db-chunks";

export interface AppliedReport {
  revision: number;
  snapshotHash: string;
  siteErrors: Record<string, string>;
  /** Streams the proxy could not serve (a port it could not bind, say), by stream id. */
  streamErrors?: Record<string, string>;
}

type Tx = Prisma.TransactionClient;

/**
 * Written by the proxy primary once every worker serves a snapshot: the per-site and per-stream
 * result, so that the dashboard shows which did not apply and why. Every site and stream saved at
 * or before this revision is now in effect, disabled ones included (in effect for them means "not
 * served").
 */
export async function recordApplied(report: AppliedReport, now = new Date()): Promise<void> {
  const failed = Object.keys(report.siteErrors);
  const failedSet = new Set(failed);
  await db().$transaction(async (tx) => {
    await recordStreamsApplied(tx, report.revision, report.streamErrors ?? {});
    // Only the sites whose row says otherwise: with 10,000 sites, rewriting every row after every
    // change held the write lock for the dashboard's next save.
    const saved = await tx.site.findMany({
      where: {
        revision: { lte: report.revision },
        OR: [{ appliedRevision: null }, { appliedRevision: { lt: tx.site.fields.revision } }, { applyError: { not: null } }],
      },
      select: { id: true },
    });
    const applied = saved.map((site) => site.id).filter((id) => !failedSet.has(id));
    for (const part of chunked(applied)) {
      await tx.site.updateMany({ where: { id: { in: part } }, data: { appliedRevision: report.revision, applyError: null } });
    }
    for (const id of failed) {
      await tx.site.updateMany({ where: { id }, data: { applyError: report.siteErrors[id] } });
    }
    await tx.proxyState.upsert({
      where: { id: 1 },
      create: { id: 1, appliedRevision: report.revision, appliedAt: now, snapshotHash: report.snapshotHash },
      update: { appliedRevision: report.revision, appliedAt: now, snapshotHash: report.snapshotHash },
    });
  });
}

/** As for sites; streams are few, so every stream saved by this revision is written. */
async function recordStreamsApplied(tx: Tx, revision: number, errors: Record<string, string>): Promise<void> {
  const failed = Object.keys(errors);
  await tx.stream.updateMany({
    where: { revision: { lte: revision }, id: { notIn: failed } },
    data: { appliedRevision: revision, applyError: null },
  });
  for (const id of failed) {
    await tx.stream.updateMany({ where: { id, revision: { lte: revision } }, data: { applyError: errors[id] } });
  }
}

/**
 * Replaces the error shown on these sites (null: none), for what the proxy learns after an apply:
 * whether each site's visitors really get the site's own certificate.
 */
export async function recordSiteErrors(errors: Record<string, string | null>): Promise<void> {
  await db().$transaction(async (tx) => {
    for (const [id, error] of Object.entries(errors)) {
      await tx.site.updateMany({ where: { id }, data: { applyError: error } });
    }
  });
}

export interface Heartbeat {
  workers: number;
  httpPort: number;
  httpsPort: number;
}

export async function recordHeartbeat(beat: Heartbeat, now = new Date()): Promise<void> {
  await db().proxyState.upsert({
    where: { id: 1 },
    create: { id: 1, ...beat, heartbeatAt: now },
    update: { ...beat, heartbeatAt: now },
  });
}

export async function appliedRevision(): Promise<number | null> {
  const row = await db().proxyState.findUnique({ where: { id: 1 }, select: { appliedRevision: true } });
  return row?.appliedRevision ?? null;
}
