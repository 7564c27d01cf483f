-- Compression of a site's answers (lib/schemas/site-compression.ts). New sites get it on from the
-- schema's default; sites made before keep answering exactly as they did until someone turns it on.
ALTER TABLE "Site" ADD COLUMN "compression" TEXT NOT NULL DEFAULT '{"enabled":false}';
