import type { NextRequest } from "next/server";

/**
 * Best-effort client address for login throttling. Next does not expose the socket; it fills
 * x-forwarded-for from it only when the client sent none, so this value can be forged. That is
 * why the throttle also keys on the email, which cannot be dodged this way.
 */
export function clientIp(request: NextRequest): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
