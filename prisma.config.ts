import { mkdirSync } from "node:fs";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { dataDir, databaseUrl } from "./lib/env/paths";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => {
    // SQLite creates the file but not its folder; the folder holds secrets, so owner-only.
    mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
    return new PrismaBetterSQLite3({ url: databaseUrl() });
  },
});
