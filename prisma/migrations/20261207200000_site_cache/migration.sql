-- The shared cache per site (lib/schemas/site-cache.ts): off for every site until someone turns it on.
ALTER TABLE "Site" ADD COLUMN "cache" TEXT NOT NULL DEFAULT '{"enabled":false}';
