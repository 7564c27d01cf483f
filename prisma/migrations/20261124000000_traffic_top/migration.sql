-- Top paths, client IPs and status codes per traffic row: JSON { paths, clientIps, statuses },
-- each key -> requests, the 20 largest per kind. Rows written before this count as empty.
-- AlterTable
ALTER TABLE "TrafficMinute" ADD COLUMN "top" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "TrafficHour" ADD COLUMN "top" TEXT NOT NULL DEFAULT '{}';
