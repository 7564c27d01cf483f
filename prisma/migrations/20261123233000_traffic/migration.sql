-- CreateTable
CREATE TABLE "TrafficMinute" (
    "siteId" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "requests" INTEGER NOT NULL,
    "status2xx" INTEGER NOT NULL,
    "status3xx" INTEGER NOT NULL,
    "status4xx" INTEGER NOT NULL,
    "status5xx" INTEGER NOT NULL,
    "bytesIn" BIGINT NOT NULL,
    "bytesOut" BIGINT NOT NULL,
    "latency" TEXT NOT NULL,

    PRIMARY KEY ("siteId", "minute")
);

-- CreateTable
CREATE TABLE "TrafficHour" (
    "siteId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "requests" INTEGER NOT NULL,
    "status2xx" INTEGER NOT NULL,
    "status3xx" INTEGER NOT NULL,
    "status4xx" INTEGER NOT NULL,
    "status5xx" INTEGER NOT NULL,
    "bytesIn" BIGINT NOT NULL,
    "bytesOut" BIGINT NOT NULL,
    "latency" TEXT NOT NULL,

    PRIMARY KEY ("siteId", "hour")
);

-- CreateIndex
CREATE INDEX "TrafficMinute_minute_idx" ON "TrafficMinute"("minute");

-- CreateIndex
CREATE INDEX "TrafficHour_hour_idx" ON "TrafficHour"("hour");

