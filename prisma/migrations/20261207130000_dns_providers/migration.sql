-- DNS providers for ACME DNS-01 (lib/schemas/dns-provider.ts), and each ACME certificate's
-- challenge. Existing certificates keep HTTP-01.
CREATE TABLE "DnsProvider" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "credentialsEnc" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "DnsProvider_name_key" ON "DnsProvider"("name");

ALTER TABLE "Certificate" ADD COLUMN "challenge" TEXT NOT NULL DEFAULT 'http-01';
ALTER TABLE "Certificate" ADD COLUMN "dnsProviderId" TEXT REFERENCES "DnsProvider" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
