-- Bytes a site's compression kept off the wire, per minute and per hour, for the Traffic page.
ALTER TABLE "TrafficMinute" ADD COLUMN "bytesSavedCompression" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "TrafficHour" ADD COLUMN "bytesSavedCompression" BIGINT NOT NULL DEFAULT 0;
