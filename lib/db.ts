import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { databaseUrl } from "./env/paths";
import { ensureDataDir } from "./env/data-dir";

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";

function connect(): PrismaClient {
  ensureDataDir();
  // `timeout` is SQLite's busy timeout: the dashboard and the proxy write to the same file.
  const client = new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: databaseUrl(), timeout: 5000 }),
    // Generous: on a busy two-core machine a write may queue behind the other process's writes.
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
  // WAL lets the proxy read while the dashboard writes; the setting persists in the file.
  void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch(() => undefined);
  return client;
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
