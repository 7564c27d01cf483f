import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFirstAdmin } from "./auth/users";
import { db } from "./db";
import { useTempDatabase } from "../test-support/database";
import { writeBurst } from "../test-support/concurrent-writer";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // config notices go nowhere
});
afterEach(() => cleanup());

const writer = path.resolve(import.meta.dirname, "..", "test-support", "concurrent-writer.ts");

/** Runs writeBurst in a process of its own on the same database file; resolves what failed there. */
function burstInChild(who: string, count: number, userId: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, who, String(count), userId], { env: process.env });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`${who} exited ${code}: ${err}`))));
  });
}

describe("two processes writing one SQLite file", () => {
  it("loses no write to a busy database: every record of every writer arrives", async () => {
    const { id: userId } = await createFirstAdmin("admin@example.com", "long enough pw");
    const COUNT = 150;
    const failures = await Promise.all([burstInChild("a", COUNT, userId), burstInChild("b", COUNT, userId), writeBurst("here", COUNT, userId)]);
    expect(failures).toEqual([[], [], []]);
    expect(await db().upstreamHealth.count()).toBe(3 * COUNT);
    expect(await db().upstreamHealthEvent.count()).toBe(3 * COUNT);
    expect(await db().site.count()).toBe(3 * (COUNT / 5));
    expect(await db().apiToken.count()).toBe(3 * (COUNT / 5));
  }, 120_000);
});

describe("one process", () => {
  it("runs a statement that arrives while a transaction is open after it, not inside it", async () => {
    let outside: Promise<[unknown, { key: string }[]]> | undefined;
    const failing = db().$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "in the transaction", value: "x" } });
      outside = Promise.all([
        db().$executeRawUnsafe("INSERT INTO Setting (key, value, updatedAt) VALUES ('on its own', 'y', 0)"),
        db().setting.findMany(),
      ]);
      // Time for them to run inside this transaction, if they could.
      await Promise.race([outside, new Promise((resolve) => setTimeout(resolve, 300))]);
      throw new Error("changed my mind");
    });
    await expect(failing).rejects.toThrow("changed my mind");
    const [, seen] = await outside!;
    // Inside, the read would have seen the uncommitted row, and the rollback undone the insert.
    expect(seen.map((row) => row.key)).toEqual(["on its own"]);
    expect((await db().setting.findMany()).map((row) => row.key)).toEqual(["on its own"]);
  });
});
