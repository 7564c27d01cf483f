import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseUrl } from "./lib/env/paths";
import { ensureDataDir } from "./lib/env/data-dir";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => {
    // SQLite creates the file but not its folder; the folder holds secrets, so owner-only.
    ensureDataDir();
    return new PrismaBetterSQLite3({ url: databaseUrl() });
  },
});
