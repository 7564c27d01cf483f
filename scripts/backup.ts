import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { backupFileName, createBackup } from "../lib/services/backups";
import { readPassphrase } from "./read-passphrase";

/** `npm run backup -- --out FILE`: everything configured, encrypted with a passphrase. */
try {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = values.out ?? backupFileName();
  const file = createBackup(await readPassphrase("Passphrase for the backup: "));
  writeFileSync(out, file, { mode: 0o600 });
  console.log(`Saved the backup to ${out} (${file.length} bytes). Keep the passphrase: without it the file cannot be opened.`);
} catch (error) {
  const details = (error as { details?: Record<string, string> }).details;
  console.error(details && Object.keys(details).length > 0 ? Object.values(details).join("\n") : (error as Error).message);
  process.exit(1);
}
