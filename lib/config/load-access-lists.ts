import { db, type Prisma } from "../db";
import { snapshotAccessListSchema, type SnapshotAccessList } from "../schemas/snapshot";

/**
 * The access lists the proxy needs: those used by an enabled site or stream, with their users' password
 * hashes (never a password). Pass the snapshot's transaction so the lists match the sites read
 * with them. A list whose stored rows do not validate is left out: a site that uses it then fails
 * closed (the proxy refuses to serve it without its list) while every other site keeps working.
 */
export async function accessListsForSnapshot(client: Prisma.TransactionClient = db()): Promise<SnapshotAccessList[]> {
  const rows = await client.accessList.findMany({
    where: { OR: [{ sites: { some: { enabled: true } } }, { streams: { some: { enabled: true } } }] },
    include: { users: { select: { username: true, passwordHash: true }, orderBy: { position: "asc" } } },
    orderBy: { id: "asc" },
  });
  return rows.flatMap((row) => {
    const parsed = snapshotAccessListSchema.safeParse({
      id: row.id,
      name: row.name,
      allow: parseJson(row.allow),
      deny: parseJson(row.deny),
      satisfy: row.satisfy,
      users: row.users,
    });
    return parsed.success ? [parsed.data] : [];
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
