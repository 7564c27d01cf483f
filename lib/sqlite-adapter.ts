import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * How long one attempt may block this process's event loop waiting for another process's write
 * lock (better-sqlite3 waits synchronously). Short, so the proxy primary keeps accepting
 * connections; the wait goes on asynchronously between attempts.
 */
const BLOCKING_WAIT_MS = 20;

/**
 * Prisma's better-sqlite3 adapter, made safe for two processes writing one file (the dashboard and
 * the proxy primary). The stock adapter begins DEFERRED transactions: one that reads and then writes
 * must upgrade to the write lock, and when the other process wrote in between SQLite answers
 * SQLITE_BUSY at once, without waiting (the write is lost). Here:
 *
 * - every transaction begins IMMEDIATE: it takes the write lock before its first read;
 * - a busy database is waited for (in short blocking slices, asynchronously in between) until
 *   `lockWaitMs` has passed, for transactions and single statements alike;
 * - WAL is on before the first query (readers then never wait for writers);
 * - a statement outside a transaction waits for this process's open transaction instead of
 *   running inside it (there is one connection), where a rollback would silently undo it.
 */
export class SqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName = "@prisma/adapter-better-sqlite3";

  constructor(
    private readonly file: string,
    private readonly lockWaitMs: number,
  ) {}

  async connect(): Promise<SqlDriverAdapter> {
    await this.useWal();
    const inner = await new PrismaBetterSQLite3({ url: "file:" + this.file, timeout: BLOCKING_WAIT_MS }).connect();
    return new WaitingAdapter(inner, this.lockWaitMs);
  }

  /** WAL is kept in the file, so a short-lived connection of its own switches it on for good. */
  private async useWal(): Promise<void> {
    const sqlite = new Database(this.file, { timeout: BLOCKING_WAIT_MS });
    try {
      await untilNotBusy(async () => sqlite.pragma("journal_mode = WAL"), this.lockWaitMs);
    } finally {
      sqlite.close();
    }
  }
}

class WaitingAdapter implements SqlDriverAdapter {
  readonly provider;
  readonly adapterName;
  /** Settles when the transaction open on this connection (if any) has ended. */
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly lockWaitMs: number,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.alone(() => untilNotBusy(() => this.inner.queryRaw(query), this.lockWaitMs));
  }

  executeRaw(query: SqlQuery) {
    return this.alone(() => untilNotBusy(() => this.inner.executeRaw(query), this.lockWaitMs));
  }

  executeScript(script: string) {
    return this.alone(() => untilNotBusy(() => this.inner.executeScript(script), this.lockWaitMs));
  }

  async startTransaction(): Promise<Transaction> {
    const release = await this.take();
    try {
      await untilNotBusy(() => this.inner.executeRaw({ sql: "BEGIN IMMEDIATE", args: [], argTypes: [] }), this.lockWaitMs);
    } catch (error) {
      release();
      throw error;
    }
    const { inner } = this;
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      // Prisma sends COMMIT or ROLLBACK itself, then calls commit() or rollback().
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      commit: async () => release(),
      rollback: async () => release(),
    };
  }

  dispose() {
    return this.inner.dispose();
  }

  /** Runs one statement while no transaction of this process is open. */
  private async alone<T>(run: () => Promise<T>): Promise<T> {
    const release = await this.take();
    try {
      return await run();
    } finally {
      release();
    }
  }

  /** Waits for this connection to be free and holds it; the returned function frees it (once). */
  private async take(): Promise<() => void> {
    const previous = this.idle;
    let free!: () => void;
    this.idle = new Promise((resolve) => (free = resolve));
    await previous;
    let freed = false;
    return () => {
      if (!freed) free();
      freed = true;
    };
  }
}

/** Runs `attempt` again while SQLite says the database is busy, for up to `waitMs` in all. */
async function untilNotBusy<T>(attempt: () => Promise<T>, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let round = 0; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    // Jittered, so two processes waiting for each other do not retry in step.
    await sleep(Math.min(2 ** round, 50) * (0.5 + Math.random()));
  }
}

/** SQLITE_BUSY and its extended codes, from better-sqlite3 itself or wrapped by the Prisma adapter. */
function isBusy(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { originalCode?: unknown } } | null)?.cause?.originalCode ?? (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
