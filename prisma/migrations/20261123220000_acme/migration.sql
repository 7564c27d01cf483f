-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "domains" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "serialNumber" TEXT NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "notAfter" DATETIME NOT NULL,
    "certificatePem" TEXT NOT NULL,
    "chainPem" TEXT NOT NULL DEFAULT '',
    "privateKeyEnc" TEXT NOT NULL,
    "lastError" TEXT,
    "autoRenew" BOOLEAN NOT NULL DEFAULT false,
    "orderStatus" TEXT NOT NULL DEFAULT 'none',
    "progress" TEXT NOT NULL DEFAULT '[]',
    "acmeEmail" TEXT,
    "acmeStaging" BOOLEAN NOT NULL DEFAULT false,
    "renewAt" DATETIME,
    "nextAttemptAt" DATETIME,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "expiryNotified" TEXT NOT NULL DEFAULT '',
    "assignSiteId" TEXT,
    "assignForceHttps" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Certificate" ("autoRenew", "certificatePem", "chainPem", "createdAt", "domains", "id", "issuer", "lastError", "name", "notAfter", "notBefore", "privateKeyEnc", "serialNumber", "source", "updatedAt") SELECT "autoRenew", "certificatePem", "chainPem", "createdAt", "domains", "id", "issuer", "lastError", "name", "notAfter", "notBefore", "privateKeyEnc", "serialNumber", "source", "updatedAt" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

