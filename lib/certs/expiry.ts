import type { CertificateStatus } from "../schemas/certificate";

/** Renewal warnings start this many days before expiry (Let's Encrypt renews at 30 too). */
export const EXPIRING_WITHIN_DAYS = 30;
export const CRITICAL_WITHIN_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

export type ExpiryStatus = Extract<CertificateStatus, "valid" | "expiring" | "expired">;
export type ExpiryColour = "green" | "amber" | "red";

/** Whole days left, rounded down: 0 on the last day, negative once expired. */
export function daysLeft(notAfter: Date, now: Date = new Date()): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function expiryStatus(notAfter: Date, now: Date = new Date()): ExpiryStatus {
  if (notAfter.getTime() < now.getTime()) return "expired";
  return daysLeft(notAfter, now) <= EXPIRING_WITHIN_DAYS ? "expiring" : "valid";
}

export function expiryColour(days: number): ExpiryColour {
  if (days <= CRITICAL_WITHIN_DAYS) return "red";
  if (days <= EXPIRING_WITHIN_DAYS) return "amber";
  return "green";
}
