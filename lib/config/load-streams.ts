import { db, type Prisma } from "../db";
import { snapshotStreamSchema, type SnapshotStream } from "../schemas/snapshot";
import { streamInputSchema } from "../schemas/stream";
import { streamDataFromRow, streamInclude } from "../services/stream-mapper";

/**
 * The enabled streams, whole (they are few), each upstream with its stable id. A stream whose
 * stored rows do not validate is left out; every other stream keeps working.
 */
export async function streamsForSnapshot(client: Prisma.TransactionClient = db()): Promise<SnapshotStream[]> {
  const rows = await client.stream.findMany({ where: { enabled: true }, include: streamInclude, orderBy: { id: "asc" } });
  return rows.flatMap((row) => {
    const checked = streamInputSchema.safeParse(streamDataFromRow(row));
    if (!checked.success) return [];
    const { enabled: _enabled, upstreams, ...fields } = checked.data;
    // The rows are read in position order, and validation keeps the order.
    const ids = row.upstreams.map((upstream) => upstream.id);
    const parsed = snapshotStreamSchema.safeParse({
      ...fields,
      id: row.id,
      upstreams: upstreams.map((upstream, index) => ({ ...upstream, id: ids[index] })),
    });
    return parsed.success ? [parsed.data] : [];
  });
}
