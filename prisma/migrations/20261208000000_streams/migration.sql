-- TLS pass-through per site: existing sites keep terminating TLS.
ALTER TABLE "Site" ADD COLUMN "tlsMode" TEXT NOT NULL DEFAULT 'terminate';
ALTER TABLE "Site" ADD COLUMN "proxyProtocol" BOOLEAN NOT NULL DEFAULT false;

-- Ports forwarded as they are (TCP, UDP or both).
CREATE TABLE "Stream" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "listenPort" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "loadBalancing" TEXT NOT NULL DEFAULT '{"policy":"round_robin"}',
    "healthCheck" TEXT NOT NULL DEFAULT '{"enabled":true,"intervalSeconds":10,"timeoutSeconds":5,"healthyThreshold":2,"unhealthyThreshold":3}',
    "accessListId" TEXT,
    "idleTimeoutSeconds" INTEGER NOT NULL DEFAULT 600,
    "proxyProtocol" BOOLEAN NOT NULL DEFAULT false,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "appliedRevision" INTEGER,
    "applyError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Stream_accessListId_fkey" FOREIGN KEY ("accessListId") REFERENCES "AccessList" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Stream_listenPort_key" ON "Stream"("listenPort");
CREATE INDEX "Stream_accessListId_idx" ON "Stream"("accessListId");

CREATE TABLE "StreamUpstream" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "streamId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "position" INTEGER NOT NULL,
    CONSTRAINT "StreamUpstream_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "Stream" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "StreamUpstream_streamId_idx" ON "StreamUpstream"("streamId");

-- Connections of pass-through sites and streams, and their summed duration, per minute (and hour).
ALTER TABLE "TrafficMinute" ADD COLUMN "connections" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TrafficMinute" ADD COLUMN "connectionMs" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "TrafficHour" ADD COLUMN "connections" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TrafficHour" ADD COLUMN "connectionMs" BIGINT NOT NULL DEFAULT 0;
