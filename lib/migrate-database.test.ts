import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appRoot } from "./env/entry-points";
import { MIGRATIONS_DIR, migrateDatabase } from "./migrate-database";
import { defaultHealthCheck } from "./schemas/upstream-health";

const ALL = readdirSync(MIGRATIONS_DIR)
  .filter((name) => !name.endsWith(".toml"))
  .sort();
/** The first migration that rebuilds the Site table (other tables point at Site with ON DELETE CASCADE). */
const REBUILDS_SITE = "20261206200000_passive_health_server_errors";
const FIELDS_BY_SCHEMA_NAME = "20261207100000_site_fields_by_schema_name";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gk-migrate-"));
  file = path.join(dir, "data", "gatekeeper.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A migrations folder with the given migrations of the product's (and extra ones). */
function migrationsFolder(names: string[], extra: Record<string, string> = {}): string {
  const folder = path.join(dir, `migrations-${names.length}-${Object.keys(extra).length}`);
  for (const name of names) cpSync(path.join(MIGRATIONS_DIR, name), path.join(folder, name), { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(folder, name), { recursive: true });
    writeFileSync(path.join(folder, name, "migration.sql"), sql);
  }
  return folder;
}

function prismaMigrateDeploy(dataDir: string) {
  return spawnSync(path.join(appRoot, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: appRoot,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: "utf8",
  });
}

describe("migrateDatabase", () => {
  it("applies every migration once, in order, and nothing the second time", () => {
    expect(migrateDatabase(file)).toEqual(ALL);
    expect(migrateDatabase(file)).toEqual([]);
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    sqlite.close();
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["Site", "Certificate", "User", "_prisma_migrations"]));
  });

  it("records them as the Prisma CLI does, so either can run after the other", { timeout: 60_000 }, () => {
    migrateDatabase(file);
    const after = prismaMigrateDeploy(path.dirname(file));
    expect(after.status, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toMatch(/No pending migrations to apply/);

    const other = path.join(dir, "cli", "gatekeeper.db");
    const first = prismaMigrateDeploy(path.dirname(other));
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(migrateDatabase(other)).toEqual([]);
  });

  it("keeps the rows that point at a table a migration rebuilds", () => {
    const before = ALL.slice(0, ALL.indexOf(REBUILDS_SITE));
    migrateDatabase(file, migrationsFolder(before));
    const sqlite = new Database(file);
    sqlite.prepare(`INSERT INTO "Site" (id, name) VALUES ('s1', 'Shop')`).run();
    sqlite.prepare(`INSERT INTO "Hostname" (hostname, siteId, position) VALUES ('shop.example.com', 's1', 0)`).run();
    sqlite.prepare(`INSERT INTO "Upstream" (id, siteId, url, position) VALUES ('u1', 's1', 'http://127.0.0.1:8080', 0)`).run();
    sqlite.close();

    expect(migrateDatabase(file)).toEqual(ALL.slice(before.length));
    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT hostname FROM "Hostname"`).all()).toEqual([{ hostname: "shop.example.com" }]);
    expect(after.prepare(`SELECT url FROM "Upstream"`).all()).toEqual([{ url: "http://127.0.0.1:8080" }]);
    after.close();
  });

  it("carries a site's load balancing and health check over into the columns named after the schema's fields", () => {
    const before = ALL.slice(0, ALL.indexOf(FIELDS_BY_SCHEMA_NAME));
    migrateDatabase(file, migrationsFolder(before));
    const sqlite = new Database(file);
    sqlite
      .prepare(
        `INSERT INTO "Site" (id, name, lbPolicy, hcEnabled, hcPath, hcIntervalSeconds, hcTimeoutSeconds, hcExpectedStatus, hcHealthyThreshold, hcUnhealthyThreshold)
         VALUES ('s1', 'Shop', 'least_conn', false, '/up', 30, 7, '200', 4, 6), ('s2', 'Blog', 'round_robin', true, '/', 10, 5, '200-399', 2, 3)`,
      )
      .run();
    sqlite.close();

    migrateDatabase(file);
    const after = new Database(file, { readonly: true });
    const rows = after.prepare(`SELECT id, loadBalancing, healthCheck FROM "Site" ORDER BY id`).all() as Array<{
      id: string;
      loadBalancing: string;
      healthCheck: string;
    }>;
    after.close();
    expect(rows.map((row) => ({ id: row.id, loadBalancing: JSON.parse(row.loadBalancing), healthCheck: JSON.parse(row.healthCheck) }))).toEqual([
      {
        id: "s1",
        loadBalancing: { policy: "least_conn" },
        healthCheck: {
          enabled: false,
          path: "/up",
          intervalSeconds: 30,
          timeoutSeconds: 7,
          expectedStatus: "200",
          healthyThreshold: 4,
          unhealthyThreshold: 6,
        },
      },
      {
        id: "s2",
        loadBalancing: { policy: "round_robin" },
        // The old columns' defaults are today's.
        healthCheck: defaultHealthCheck,
      },
    ]);
  });

  it("stops at a failing migration with its name, keeping what ran before and nothing of it", () => {
    const folder = migrationsFolder(ALL, {
      "29990101000000_broken": `CREATE TABLE "Half" ("id" TEXT PRIMARY KEY);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" TEXT;`,
    });
    expect(() => migrateDatabase(file, folder)).toThrow(/The database migration 29990101000000_broken failed: no such table: NoSuchTable/);
    const sqlite = new Database(file, { readonly: true });
    const recorded = sqlite.prepare(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`).all() as Array<{
      migration_name: string;
    }>;
    const half = sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'Half'").get();
    sqlite.close();
    expect(recorded.map((row) => row.migration_name)).toEqual(ALL);
    expect(half).toBeUndefined();
  });
});

describe("an upgrade whose migration fails", () => {
  const columnsOf = (sqlite: Database.Database, table: string) =>
    (sqlite.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((column) => column.name);
  const backups = () => readdirSync(path.join(path.dirname(file), "backups")).sort();

  it("puts the database back exactly as it was, keeps the copy, and the previous version still runs on it", () => {
    const previous = ALL.slice(0, -1);
    migrateDatabase(file, migrationsFolder(previous));
    const before = new Database(file);
    before.prepare(`INSERT INTO "Site" (id, name) VALUES ('s1', 'Shop')`).run();
    const siteColumns = columnsOf(before, "Site");
    before.close();

    const upgrade = migrationsFolder(ALL, {
      "29990101000000_adds_a_column": `ALTER TABLE "Site" ADD COLUMN "extra" TEXT;`,
      "29990102000000_fails": `CREATE TABLE "Half" ("id" TEXT); INSERT INTO "NoSuchTable" VALUES (1);`,
    });
    expect(() => migrateDatabase(file, upgrade)).toThrow(
      /^The database migration 29990102000000_fails failed: no such table: NoSuchTable\nThe database was put back as it was before this upgrade \(a copy stays at .*before-upgrade-.*\.db\): the previous version of Gatekeeper runs on it\. Nothing was lost\.$/,
    );

    const after = new Database(file, { readonly: true });
    expect(columnsOf(after, "Site")).toEqual(siteColumns);
    expect(after.prepare(`SELECT name FROM "Site"`).all()).toEqual([{ name: "Shop" }]);
    expect(after.prepare(`SELECT name FROM sqlite_master WHERE name = 'Half'`).all()).toEqual([]);
    const recorded = after.prepare(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`).all() as { migration_name: string }[];
    expect(recorded.map((row) => row.migration_name)).toEqual(previous);
    after.close();
    expect(backups()).toHaveLength(1);

    // The previous version starts on it as before, and the fixed upgrade applies from there.
    expect(migrateDatabase(file, migrationsFolder(previous))).toEqual([]);
    expect(migrateDatabase(file)).toEqual(ALL.slice(-1));
  });

  it("copies only a database that exists, and keeps the newest three copies", () => {
    migrateDatabase(file, migrationsFolder(ALL.slice(0, 1)));
    expect(() => backups()).toThrow(/ENOENT/);
    for (let count = 2; count <= 5; count++) migrateDatabase(file, migrationsFolder(ALL.slice(0, count)));
    expect(backups()).toHaveLength(3);
    expect(migrateDatabase(file)).toEqual(ALL.slice(5));
    expect(backups()).toHaveLength(3);
  });
});

describe("a database that went missing", () => {
  it("is not silently replaced by a new, empty one while the data directory has its secret key", () => {
    migrateDatabase(file);
    writeFileSync(path.join(path.dirname(file), "secret.key"), Buffer.alloc(32));
    rmSync(file);
    expect(() => migrateDatabase(file)).toThrow(/has secret\.key but no gatekeeper\.db: the database is missing/);
    expect(readdirSync(path.dirname(file))).not.toContain("gatekeeper.db");
  });
});
