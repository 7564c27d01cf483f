import { db, type Prisma } from "../db";
import { isUniqueViolation } from "../db-errors";
import { AppError, notFound, validationError } from "../errors";
import { mergeStreamPatch, streamInputSchema, type Stream, type StreamData } from "../schemas/stream";
import { notifyProxy } from "../config/notify";
import { recordAudit } from "../audit/record";
import { assertAccessListExists } from "./access-lists";
import { bumpRevision } from "./revision";
import { healthOf } from "./upstream-health";
import { assertPortFree, portOfStream, type PortClaim } from "./stream-port";
import { streamColumns, streamInclude, toStream, toStreamData } from "./stream-mapper";

type Tx = Prisma.TransactionClient;

export async function listStreams(): Promise<Stream[]> {
  const rows = await db().stream.findMany({ include: streamInclude, orderBy: { createdAt: "asc" } });
  const health = await healthOf(rows.flatMap((row) => row.upstreams.map((upstream) => upstream.id)));
  return rows.map((row) => toStream(row, health));
}

export async function getStream(id: string): Promise<Stream> {
  const row = await db().stream.findUnique({ where: { id }, include: streamInclude });
  if (!row) throw notFound("Stream");
  return toStream(row, await healthOf(row.upstreams.map((upstream) => upstream.id)));
}

export async function createStream(input: unknown): Promise<Stream> {
  const parsed = streamInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const id = await writeStream(null, parsed.data);
  const created = await getStream(id);
  await recordAudit({ action: "create", objectType: "stream", objectId: id, after: created });
  return created;
}

export async function updateStream(id: string, patch: unknown): Promise<Stream> {
  const current = await getStream(id);
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new AppError("validation_failed", "Send a JSON object with the fields to change");
  }
  const merged = mergeStreamPatch(toStreamData(current), patch);
  if (!merged.success) throw validationError(merged.error);
  await writeStream(id, merged.data);
  const updated = await getStream(id);
  await recordAudit({ action: "update", objectType: "stream", objectId: id, before: current, after: updated });
  return updated;
}

export async function deleteStream(id: string): Promise<void> {
  const before = await getStream(id);
  await db().$transaction(async (tx) => {
    await bumpRevision(tx);
    const { count } = await tx.stream.deleteMany({ where: { id } });
    if (count === 0) throw notFound("Stream");
  });
  notifyProxy();
  await recordAudit({ action: "delete", objectType: "stream", objectId: id, before });
}

/** Creates (id null) or replaces a stream, checking what only the database and this machine can know. */
async function writeStream(id: string | null, stream: StreamData): Promise<string> {
  let savedId: string;
  try {
    savedId = await db().$transaction(async (tx) => {
      // Write first: it takes SQLite's write lock up front (see writeSite in sites.ts).
      const revision = await bumpRevision(tx);
      const stored = id === null ? null : await storedClaim(tx, id);
      await assertPortFree(tx, id, stream, stored);
      await assertAccessListExists(tx, stream.accessListId);
      const fields = { ...streamColumns(stream), revision, updatedAt: new Date() };
      const row = id === null ? await tx.stream.create({ data: fields }) : await tx.stream.update({ where: { id }, data: fields });
      await saveUpstreams(tx, row.id, stream.upstreams);
      return row.id;
    });
  } catch (error) {
    // Two writers racing for one port: the unique index on listenPort has the last word.
    if (isUniqueViolation(error)) {
      const owner = await db().stream.findUnique({ where: { listenPort: stream.listenPort }, select: { name: true } });
      throw portOfStream(stream.listenPort, owner?.name ?? "another stream");
    }
    throw error;
  }
  notifyProxy();
  return savedId;
}

async function storedClaim(tx: Tx, id: string): Promise<PortClaim> {
  const row = await tx.stream.findUnique({ where: { id }, select: { listenPort: true, protocol: true, enabled: true } });
  if (!row) throw notFound("Stream");
  return { ...row, protocol: row.protocol as PortClaim["protocol"] };
}

/**
 * Keeps each upstream row (and so its id) whose URL stays, updating its weight and position;
 * removes the rest and adds the new ones: the proxy keys live state and health by these ids.
 */
async function saveUpstreams(tx: Tx, streamId: string, upstreams: StreamData["upstreams"]): Promise<void> {
  const existing = await tx.streamUpstream.findMany({ where: { streamId }, orderBy: { position: "asc" } });
  const unclaimed = new Map<string, typeof existing>();
  for (const row of existing) unclaimed.set(row.url, [...(unclaimed.get(row.url) ?? []), row]);
  const added: { url: string; weight: number; position: number; streamId: string }[] = [];
  for (const [position, { url, weight }] of upstreams.entries()) {
    // A URL listed twice keeps two rows: each stored row is claimed once.
    const row = unclaimed.get(url)?.shift();
    if (row === undefined) added.push({ url, weight, position, streamId });
    else if (row.weight !== weight || row.position !== position) {
      await tx.streamUpstream.update({ where: { id: row.id }, data: { weight, position } });
    }
  }
  const removed = [...unclaimed.values()].flat().map((row) => row.id);
  if (removed.length > 0) await tx.streamUpstream.deleteMany({ where: { id: { in: removed } } });
  if (added.length > 0) await tx.streamUpstream.createMany({ data: added });
}
