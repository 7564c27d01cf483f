import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrateDatabase, migrationNames } from "../migrate-database";
import { BackupError } from "./backup-file";
import { BACKED_UP_TABLES, NOT_BACKED_UP_TABLES } from "./backup-tables";
import { appliedMigrations, readTables, rowsAtThisVersion } from "./table-rows";

const ALL = migrationNames(MIGRATIONS_DIR);
const DNS_PROVIDERS = "20261207130000_dns_providers";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gk-rows-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function databaseAt(migrations: string[]): Database.Database {
  const folder = path.join(dir, "migrations");
  mkdirSync(folder, { recursive: true });
  for (const name of migrations) cpSync(path.join(MIGRATIONS_DIR, name), path.join(folder, name), { recursive: true });
  const file = path.join(dir, "data", "gatekeeper.db");
  migrateDatabase(file, folder);
  return new Database(file);
}

describe("the tables a backup holds", () => {
  it("are every table of the schema, or one listed with the reason it is left out", () => {
    const sqlite = databaseAt(ALL);
    const tables = (
      sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]
    ).map((table) => table.name);
    sqlite.close();
    const classified = [...BACKED_UP_TABLES, ...Object.keys(NOT_BACKED_UP_TABLES)];
    expect(tables.filter((table) => !classified.includes(table))).toEqual([]);
    expect(classified.filter((table) => !tables.includes(table))).toEqual([]);
  });
});

describe("rowsAtThisVersion", () => {
  it("brings an older backup's rows up to this version, with the new columns' defaults", () => {
    const before = ALL.slice(0, ALL.indexOf(DNS_PROVIDERS));
    const old = databaseAt(before);
    old
      .prepare(`INSERT INTO "Certificate" (id, name, source, domains, issuer, serialNumber, notBefore, notAfter, certificatePem, privateKeyEnc, createdAt, updatedAt)
      VALUES ('c1', 'Shop', 'acme', '["shop.example.com"]', 'CA', '01', '2026-01-01T00:00:00.000+00:00', '2027-01-01T00:00:00.000+00:00', 'PEM', 'v1:a:b:c', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`)
      .run();
    const tables = readTables(old);
    expect(appliedMigrations(old)).toEqual(before);
    old.close();
    expect(tables.DnsProvider).toBeUndefined();

    const rows = rowsAtThisVersion({ ...tables } as Record<string, Record<string, unknown>[]>, before);
    expect(rows.Certificate).toEqual([expect.objectContaining({ id: "c1", name: "Shop", challenge: "http-01", dnsProviderId: null })]);
    expect(rows.DnsProvider).toEqual([]);
  });

  it("refuses a backup from a newer version, and rows that do not fit their own version", () => {
    expect(() => rowsAtThisVersion({}, [...ALL, "29990101000000_future"])).toThrow(
      new BackupError("This backup was made by a newer version of Gatekeeper: upgrade this one first"),
    );
    expect(() => rowsAtThisVersion({ Site: [{ id: "s1", name: "Shop", noSuchColumn: 1 }] }, ALL)).toThrow(
      /^The backup file is damaged: its rows do not fit its own version \(table Site has no column named noSuchColumn\)$/,
    );
  });
});
