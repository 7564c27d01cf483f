import { createApiToken } from "../lib/auth/api-tokens";
import { closeDb } from "../lib/db";
import { createSite } from "../lib/services/sites";
import { recordHealth } from "../lib/services/upstream-health";

/**
 * One of several processes writing one SQLite file at once, as the dashboard and the proxy do:
 * `count` health records (read, then write, in one transaction), sites (transactions that write
 * first) and API tokens (single statements), all started together. Prints what failed.
 */
export async function writeBurst(who: string, count: number, userId: string): Promise<string[]> {
  const failures: string[] = [];
  const note = (error: unknown) => void failures.push(String(error).split("\n").filter(Boolean).slice(-1)[0] ?? String(error));
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const checkedAt = new Date();
    writes.push(recordHealth(`http://${who}-${i}.test:8080`, { state: "up", checkedAt, latencyMs: 3, message: null }).catch(note));
    if (i % 5 === 0) {
      writes.push(
        createSite({ name: `${who} ${i}`, hostnames: [`${who}-${i}.example.com`], upstreams: [{ url: "http://10.0.0.5:8080" }] }).catch(note),
      );
      writes.push(createApiToken({ id: userId, role: "admin" }, `${who} ${i}`).catch(note));
    }
  }
  await Promise.all(writes);
  return failures;
}

if (process.argv[1] === import.meta.filename) {
  const [who = "child", count = "100", userId = ""] = process.argv.slice(2);
  const failures = await writeBurst(who, Number(count), userId);
  await closeDb();
  process.stdout.write(JSON.stringify(failures));
}
