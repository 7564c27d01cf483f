-- The site's load balancing and health check move from flat, prefixed columns (lbPolicy,
-- hcIntervalSeconds, ...) to JSON text in columns named as lib/schemas/site.ts names the fields,
-- as rateLimit and securityHeaders already are: one name per field from the schema to the table.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Site" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "forceHttps" BOOLEAN NOT NULL DEFAULT false,
    "hsts" BOOLEAN NOT NULL DEFAULT false,
    "websockets" BOOLEAN NOT NULL DEFAULT true,
    "preserveHost" BOOLEAN NOT NULL DEFAULT true,
    "verifyUpstreamTls" BOOLEAN NOT NULL DEFAULT true,
    "allowLinkLocalUpstreams" BOOLEAN NOT NULL DEFAULT false,
    "loadBalancing" TEXT NOT NULL DEFAULT '{"policy":"round_robin"}',
    "healthCheck" TEXT NOT NULL DEFAULT '{"enabled":true,"path":"/","intervalSeconds":10,"timeoutSeconds":5,"expectedStatus":"200-399","healthyThreshold":2,"unhealthyThreshold":3}',
    "passiveHealthCountsServerErrors" BOOLEAN NOT NULL DEFAULT false,
    "certificateId" TEXT,
    "accessListId" TEXT,
    "rateLimit" TEXT,
    "blockExploits" BOOLEAN NOT NULL DEFAULT false,
    "securityHeaders" TEXT,
    "customHeaders" TEXT NOT NULL DEFAULT '{}',
    "tlsPolicy" TEXT NOT NULL DEFAULT 'intermediate',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "appliedRevision" INTEGER,
    "applyError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Site_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Site_accessListId_fkey" FOREIGN KEY ("accessListId") REFERENCES "AccessList" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Site" ("accessListId", "allowLinkLocalUpstreams", "appliedRevision", "applyError", "blockExploits", "certificateId", "createdAt", "customHeaders", "enabled", "forceHttps", "hsts", "id", "name", "passiveHealthCountsServerErrors", "preserveHost", "rateLimit", "revision", "securityHeaders", "tlsPolicy", "updatedAt", "verifyUpstreamTls", "websockets", "loadBalancing", "healthCheck")
SELECT "accessListId", "allowLinkLocalUpstreams", "appliedRevision", "applyError", "blockExploits", "certificateId", "createdAt", "customHeaders", "enabled", "forceHttps", "hsts", "id", "name", "passiveHealthCountsServerErrors", "preserveHost", "rateLimit", "revision", "securityHeaders", "tlsPolicy", "updatedAt", "verifyUpstreamTls", "websockets",
    json_object('policy', "lbPolicy"),
    json_object('enabled', json(CASE WHEN "hcEnabled" THEN 'true' ELSE 'false' END), 'path', "hcPath",
        'intervalSeconds', "hcIntervalSeconds", 'timeoutSeconds', "hcTimeoutSeconds", 'expectedStatus', "hcExpectedStatus",
        'healthyThreshold', "hcHealthyThreshold", 'unhealthyThreshold', "hcUnhealthyThreshold")
FROM "Site";
DROP TABLE "Site";
ALTER TABLE "new_Site" RENAME TO "Site";
CREATE INDEX "Site_certificateId_idx" ON "Site"("certificateId");
CREATE INDEX "Site_accessListId_idx" ON "Site"("accessListId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

