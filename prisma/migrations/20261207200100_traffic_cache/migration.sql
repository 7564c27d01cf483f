-- The cache's hits, misses and the bytes it kept the upstreams from sending, per site and minute (and hour).
ALTER TABLE "TrafficMinute" ADD COLUMN "cacheHits" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TrafficMinute" ADD COLUMN "cacheMisses" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TrafficMinute" ADD COLUMN "bytesSavedCache" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "TrafficHour" ADD COLUMN "cacheHits" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TrafficHour" ADD COLUMN "cacheMisses" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "TrafficHour" ADD COLUMN "bytesSavedCache" BIGINT NOT NULL DEFAULT 0;
