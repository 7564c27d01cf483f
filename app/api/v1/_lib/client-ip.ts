import type { NextRequest } from "next/server";

/**
 * The client address for login throttling. The dashboard server (scripts/dashboard-server.ts)
 * rewrites x-forwarded-for from the connection, believing it only from trusted proxies, so this
 * is the real client. The throttle also keys on the email.
 */
export function clientIp(request: NextRequest): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
