-- Health belongs to a site's upstream, judged by that site's own check settings, instead of to an
-- address shared by every site that uses it (one site's settings silently won before).
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UpstreamHealth" (
    "upstreamId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL,
    "latencyMs" INTEGER,
    "message" TEXT,
    "changedAt" DATETIME NOT NULL
);
-- Each upstream that used an address takes that address's verdict; addresses no upstream uses are dropped.
INSERT INTO "new_UpstreamHealth" ("upstreamId", "changedAt", "checkedAt", "latencyMs", "message", "state")
    SELECT u."id", h."changedAt", h."checkedAt", h."latencyMs", h."message", h."state"
    FROM "Upstream" u JOIN "UpstreamHealth" h ON h."address" = u."url";
DROP TABLE "UpstreamHealth";
ALTER TABLE "new_UpstreamHealth" RENAME TO "UpstreamHealth";
CREATE TABLE "new_UpstreamHealthEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "upstreamId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "message" TEXT
);
-- Likewise the timeline: each upstream gets a copy of its address's changes, in their order.
INSERT INTO "new_UpstreamHealthEvent" ("upstreamId", "at", "message", "state")
    SELECT u."id", e."at", e."message", e."state"
    FROM "UpstreamHealthEvent" e JOIN "Upstream" u ON u."url" = e."address"
    ORDER BY e."id", u."id";
DROP TABLE "UpstreamHealthEvent";
ALTER TABLE "new_UpstreamHealthEvent" RENAME TO "UpstreamHealthEvent";
CREATE INDEX "UpstreamHealthEvent_upstreamId_at_idx" ON "UpstreamHealthEvent"("upstreamId", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

