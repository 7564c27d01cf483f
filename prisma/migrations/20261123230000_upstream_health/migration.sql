-- CreateTable
CREATE TABLE "UpstreamHealth" (
    "address" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL,
    "latencyMs" INTEGER,
    "message" TEXT,
    "changedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UpstreamHealthEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "address" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "message" TEXT
);

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
    "lbPolicy" TEXT NOT NULL DEFAULT 'round_robin',
    "hcEnabled" BOOLEAN NOT NULL DEFAULT true,
    "hcPath" TEXT NOT NULL DEFAULT '/',
    "hcIntervalSeconds" INTEGER NOT NULL DEFAULT 10,
    "hcTimeoutSeconds" INTEGER NOT NULL DEFAULT 5,
    "hcExpectedStatus" TEXT NOT NULL DEFAULT '200-399',
    "hcHealthyThreshold" INTEGER NOT NULL DEFAULT 2,
    "hcUnhealthyThreshold" INTEGER NOT NULL DEFAULT 3,
    "certificateId" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "appliedRevision" INTEGER,
    "applyError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Site_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Site" ("appliedRevision", "applyError", "certificateId", "createdAt", "enabled", "forceHttps", "hsts", "id", "name", "preserveHost", "revision", "updatedAt", "verifyUpstreamTls", "websockets") SELECT "appliedRevision", "applyError", "certificateId", "createdAt", "enabled", "forceHttps", "hsts", "id", "name", "preserveHost", "revision", "updatedAt", "verifyUpstreamTls", "websockets" FROM "Site";
DROP TABLE "Site";
ALTER TABLE "new_Site" RENAME TO "Site";
CREATE INDEX "Site_certificateId_idx" ON "Site"("certificateId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "UpstreamHealthEvent_address_at_idx" ON "UpstreamHealthEvent"("address", "at");

