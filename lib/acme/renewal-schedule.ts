const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RENEW_BEFORE_MS = 30 * DAY_MS;

/**
 * When to renew: once a third of the lifetime or 30 days remain, whichever leaves less time
 * (90-day certificates renew at 30 days left, 6-day ones at 2 days left, 1-year ones at 30 days),
 * so a short-lived certificate is never "due" the moment it is issued.
 */
export function renewalDueAt(notBefore: Date, notAfter: Date): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  return new Date(notAfter.getTime() - Math.min(lifetime / 3, MAX_RENEW_BEFORE_MS));
}

const FIRST_RETRY_MS = 5 * 60_000;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;

/**
 * After the n-th failure in a row (n >= 1): 5 min, 10, 20, ... capped at 6 hours; it never gives
 * up. The first wait is long enough to stay clear of the CA's failed-validation rate limit.
 */
export function retryDelayMs(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
}

/** Days-left thresholds at which an expiring-soon event goes out (once each). */
export const EXPIRY_WARNING_DAYS = [14, 7, 1] as const;
