-- Passive health: whether 5xx answers count against an upstream. Off for every site, existing ones
-- included (as nginx: only connection errors and timeouts count unless a site asks for more).
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
    "lbPolicy" TEXT NOT NULL DEFAULT 'round_robin',
    "hcEnabled" BOOLEAN NOT NULL DEFAULT true,
    "hcPath" TEXT NOT NULL DEFAULT '/',
    "hcIntervalSeconds" INTEGER NOT NULL DEFAULT 10,
    "hcTimeoutSeconds" INTEGER NOT NULL DEFAULT 5,
    "hcExpectedStatus" TEXT NOT NULL DEFAULT '200-399',
    "hcHealthyThreshold" INTEGER NOT NULL DEFAULT 2,
    "hcUnhealthyThreshold" INTEGER NOT NULL DEFAULT 3,
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
INSERT INTO "new_Site" ("accessListId", "allowLinkLocalUpstreams", "appliedRevision", "applyError", "blockExploits", "certificateId", "createdAt", "customHeaders", "enabled", "forceHttps", "hcEnabled", "hcExpectedStatus", "hcHealthyThreshold", "hcIntervalSeconds", "hcPath", "hcTimeoutSeconds", "hcUnhealthyThreshold", "hsts", "id", "lbPolicy", "name", "preserveHost", "rateLimit", "revision", "securityHeaders", "tlsPolicy", "updatedAt", "verifyUpstreamTls", "websockets") SELECT "accessListId", "allowLinkLocalUpstreams", "appliedRevision", "applyError", "blockExploits", "certificateId", "createdAt", "customHeaders", "enabled", "forceHttps", "hcEnabled", "hcExpectedStatus", "hcHealthyThreshold", "hcIntervalSeconds", "hcPath", "hcTimeoutSeconds", "hcUnhealthyThreshold", "hsts", "id", "lbPolicy", "name", "preserveHost", "rateLimit", "revision", "securityHeaders", "tlsPolicy", "updatedAt", "verifyUpstreamTls", "websockets" FROM "Site";
DROP TABLE "Site";
ALTER TABLE "new_Site" RENAME TO "Site";
CREATE INDEX "Site_certificateId_idx" ON "Site"("certificateId");
CREATE INDEX "Site_accessListId_idx" ON "Site"("accessListId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

