import { readSettings } from "../lib/env/settings";
import { migrateDatabase } from "../lib/migrate-database";
import { createFirstAdmin, hasUsers } from "../lib/auth/users";
import { issueSetupCode } from "../lib/auth/setup-code";
import { closeDb } from "../lib/db";
import { displayHost } from "../lib/env/display-host";

/**
 * Run once by the launcher before anything serves: applies the database migrations and makes sure
 * an admin can exist (ADMIN_EMAIL/ADMIN_PASSWORD, or a one-time setup code printed here). A process
 * of its own, so that the launcher that stays running never loads the database client.
 */
const settings = readSettings();

try {
  const applied = migrateDatabase();
  if (applied.length > 0) console.log(`Applied ${applied.length} database migration(s): ${applied.join(", ")}.`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

if (!(await hasUsers())) {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = settings;
  if (email && password) {
    try {
      await createFirstAdmin(email, password);
      console.log(`Created the admin account ${email}.`);
    } catch (error) {
      const details = (error as { details?: Record<string, string> }).details ?? {};
      console.error(`ADMIN_EMAIL/ADMIN_PASSWORD were not accepted: ${Object.values(details).join("; ") || (error as Error).message}`);
      process.exit(1);
    }
  }
}
const code = await issueSetupCode();
if (code) {
  const url = `http://${displayHost(settings.DASHBOARD_HOST)}:${settings.DASHBOARD_PORT}/setup`;
  console.log(
    [
      "",
      "  First run: open the dashboard and create the admin account with this one-time setup code:",
      "",
      `      Setup code: ${code}`,
      `      Open:       ${url}`,
      "",
    ].join("\n"),
  );
}
await closeDb();
