import { PrismaClient } from "./generated/prisma/client";
import { databasePath } from "./env/paths";
import { ensureDataDir } from "./env/data-dir";
import { SqliteAdapterFactory } from "./sqlite-adapter";

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";

/**
 * How long a write waits for the other process (dashboard or proxy) to finish its own before it
 * fails. Generous: on a busy two-core machine a write may queue behind a burst of the other's.
 */
const LOCK_WAIT_MS = 60_000;

function connect(): PrismaClient {
  ensureDataDir();
  return new PrismaClient({
    adapter: new SqliteAdapterFactory(databasePath(), LOCK_WAIT_MS),
    // Starting a transaction includes waiting for the write lock, so Prisma waits as long.
    transactionOptions: { maxWait: LOCK_WAIT_MS + 5_000, timeout: 20_000 },
  });
}

const holder = globalThis as unknown as { __gatekeeperDb?: PrismaClient };

/**
 * The one Prisma client of this process, opened on first use (so DATA_DIR is read when it is
 * needed, not at import) and kept on globalThis so dev reloads do not open more.
 */
export function db(): PrismaClient {
  return (holder.__gatekeeperDb ??= connect());
}

export async function closeDb(): Promise<void> {
  const client = holder.__gatekeeperDb;
  holder.__gatekeeperDb = undefined;
  await client?.$disconnect();
}
