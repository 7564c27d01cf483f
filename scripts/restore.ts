import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDb } from "../lib/db";
import { migrateDatabase } from "../lib/migrate-database";
import { restoreBackup, type RestoreResult } from "../lib/services/backups";
import { readPassphrase } from "./read-passphrase";

/**
 * `npm run restore -- FILE [--dry-run]`: into an empty install or a running one (the proxy switches
 * to the restored configuration at once). The state before is saved in DATA_DIR/backups first.
 */
try {
  const { values, positionals } = parseArgs({ options: { "dry-run": { type: "boolean", default: false } }, allowPositionals: true });
  const [path] = positionals;
  if (!path) throw new Error("Name the backup file: npm run restore -- FILE [--dry-run]");
  migrateDatabase();
  const result = await restoreBackup(readFileSync(path), await readPassphrase("Passphrase of the backup: "), { dryRun: values["dry-run"] });
  console.log(summarize(result));
} catch (error) {
  const details = (error as { details?: Record<string, string> }).details;
  console.error(details && Object.keys(details).length > 0 ? Object.values(details).join("\n") : (error as Error).message);
  process.exitCode = 1;
} finally {
  await closeDb();
}

function summarize(result: RestoreResult): string {
  const lines = Object.entries(result.changes).flatMap(([subject, changes]) =>
    (["added", "changed", "removed"] as const)
      .filter((kind) => changes[kind].length > 0)
      .map((kind) => `  ${subject} ${kind}: ${changes[kind].map((item) => item.name).join(", ")}`),
  );
  const summary = lines.length > 0 ? lines.join("\n") : "  nothing: the backup holds what is here now";
  return result.applied
    ? `Restored. The state before is saved in ${result.before}.\n${summary}`
    : `The restore would change:\n${summary}\nRun again without --dry-run to restore.`;
}
