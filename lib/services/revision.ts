import type { Prisma } from "../db";
import { db } from "../db";

type Tx = Prisma.TransactionClient;

/** Bumps the config revision inside the caller's transaction, so a change and its bump land together. */
export async function bumpRevision(tx: Tx): Promise<number> {
  const row = await tx.configRevision.upsert({
    where: { id: 1 },
    create: { id: 1, revision: 1 },
    update: { revision: { increment: 1 } },
  });
  return row.revision;
}

export async function currentRevision(): Promise<number> {
  const row = await db().configRevision.findUnique({ where: { id: 1 } });
  return row?.revision ?? 0;
}
