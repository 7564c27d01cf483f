-- Routing per site (lib/schemas/site-routing.ts), as JSON text: path routes, a redirect for the
-- whole site, maintenance mode and custom error pages. Existing sites keep serving as they did.
ALTER TABLE "Site" ADD COLUMN "routes" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Site" ADD COLUMN "redirect" TEXT;
ALTER TABLE "Site" ADD COLUMN "maintenance" TEXT NOT NULL DEFAULT '{"enabled":false,"message":""}';
ALTER TABLE "Site" ADD COLUMN "errorPages" TEXT NOT NULL DEFAULT '{}';
