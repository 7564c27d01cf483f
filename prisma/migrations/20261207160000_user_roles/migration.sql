-- Roles for users and API tokens (lib/auth/roles.ts), invite links, and the last sign-in. Everyone
-- who could sign in before keeps doing everything: existing users and tokens are admins.
ALTER TABLE "User" ADD COLUMN "role" TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE "User" ADD COLUMN "inviteHash" TEXT;
ALTER TABLE "User" ADD COLUMN "inviteExpiresAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "lastSignInAt" DATETIME;
CREATE UNIQUE INDEX "User_inviteHash_key" ON "User"("inviteHash");
ALTER TABLE "ApiToken" ADD COLUMN "role" TEXT NOT NULL DEFAULT 'admin';
