import { db } from "../db";
import type { AcmeChallenge, ProgressStep } from "../schemas/certificate";
import { inspectCertificate } from "../certs/inspect";
import { sealPrivateKey } from "../certs/key-crypto";
import { EXPIRY_WARNING_DAYS, renewalDueAt, retryDelayMs } from "../acme/renewal-schedule";
import { daysLeft } from "../certs/expiry";
import { bumpRevision } from "./revision";

/**
 * The state changes of ACME orders and renewals, as the proxy primary drives them. One order per
 * certificate at a time: claiming moves it to "running", finishing moves it back to "none".
 */

export interface ClaimedOrder {
  certificateId: string;
  name: string;
  domains: string[];
  email: string;
  staging: boolean;
  /** True when a certificate already serves and this replaces it. */
  renewal: boolean;
  previousNotAfter: Date | null;
  challenge: AcmeChallenge;
  /** DNS-01: the provider that creates the TXT records (renewals use the same). */
  dnsProviderId: string | null;
}

/** After a crash: orders the primary was running when it died go back in the queue. */
export async function requeueInterruptedOrders(): Promise<void> {
  await db().certificate.updateMany({ where: { orderStatus: "running" }, data: { orderStatus: "queued" } });
}

/**
 * Claims the next order that is due: a queued one (new order or "Renew now"), an automatic
 * renewal whose time has come, or a retry after a failure whose backoff has passed.
 */
export async function claimNextOrder(now = new Date()): Promise<ClaimedOrder | null> {
  return db().$transaction(async (tx) => {
    const retryReady = { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] };
    const row = await tx.certificate.findFirst({
      where: {
        source: "acme",
        OR: [
          { orderStatus: "queued", ...retryReady },
          { orderStatus: "none", autoRenew: true, renewAt: { lte: now }, ...retryReady },
          { orderStatus: "none", autoRenew: true, lastError: { not: null }, nextAttemptAt: { lte: now } },
        ],
      },
      orderBy: { updatedAt: "asc" },
    });
    if (!row) return null;
    await tx.certificate.update({ where: { id: row.id }, data: { orderStatus: "running", progress: "[]" } });
    const renewal = row.certificatePem !== "";
    return {
      certificateId: row.id,
      name: row.name,
      domains: JSON.parse(row.domains) as string[],
      email: row.acmeEmail ?? "",
      staging: row.acmeStaging,
      renewal,
      previousNotAfter: renewal ? row.notAfter : null,
      challenge: row.challenge as AcmeChallenge,
      dnsProviderId: row.dnsProviderId,
    };
  });
}

export async function saveProgress(certificateId: string, steps: ProgressStep[]): Promise<void> {
  await db().certificate.update({ where: { id: certificateId }, data: { progress: JSON.stringify(steps) } });
}

export interface IssuedMaterial {
  certificatePem: string;
  chainPem: string;
  privateKeyPem: string;
}

/**
 * Stores the issued certificate in place of the old one (same id, so every site using it moves
 * with it), schedules its renewal, switches the requesting site to it on first issuance, and bumps
 * the revision so the proxy installs it. Returns that revision.
 */
export async function completeOrder(certificateId: string, material: IssuedMaterial, now = new Date()): Promise<number> {
  const info = inspectCertificate(material.certificatePem);
  return db().$transaction(async (tx) => {
    const revision = await bumpRevision(tx);
    const { assignSiteId, assignForceHttps } = await tx.certificate.findUniqueOrThrow({
      where: { id: certificateId },
      select: { assignSiteId: true, assignForceHttps: true },
    });
    await tx.certificate.update({
      where: { id: certificateId },
      data: {
        certificatePem: material.certificatePem,
        chainPem: material.chainPem,
        privateKeyEnc: sealPrivateKey(material.privateKeyPem),
        issuer: info.issuer,
        serialNumber: info.serialNumber,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        renewAt: renewalDueAt(info.notBefore, info.notAfter),
        orderStatus: "none",
        lastError: null,
        failures: 0,
        nextAttemptAt: null,
        expiryNotified: "",
        assignSiteId: null,
      },
    });
    if (assignSiteId) {
      await tx.site.updateMany({
        where: { id: assignSiteId },
        data: { certificateId, revision, updatedAt: now, ...(assignForceHttps ? { forceHttps: true } : {}) },
      });
    }
    // Every site on this certificate changes what it serves, so each is pending until applied.
    await tx.site.updateMany({ where: { certificateId }, data: { revision } });
    return revision;
  });
}

/** Records a failure; the old certificate (if any) keeps serving, and a retry is scheduled. */
export async function failOrder(certificateId: string, error: string, now = new Date()): Promise<Date> {
  const row = await db().certificate.findUniqueOrThrow({ where: { id: certificateId }, select: { failures: true } });
  const nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.failures + 1));
  await db().certificate.update({
    where: { id: certificateId },
    data: { orderStatus: "none", lastError: error, failures: { increment: 1 }, nextAttemptAt },
  });
  return nextAttemptAt;
}

export interface ExpiryWarning {
  certificateId: string;
  name: string;
  domains: string[];
  notAfter: Date;
  daysLeft: number;
  threshold: number;
}

/** Issued certificates that crossed a warning threshold (14, 7, 1 days) not yet warned about. */
export async function dueExpiryWarnings(now = new Date()): Promise<ExpiryWarning[]> {
  const horizon = new Date(now.getTime() + (EXPIRY_WARNING_DAYS[0] + 1) * 24 * 60 * 60 * 1000);
  const rows = await db().certificate.findMany({ where: { certificatePem: { not: "" }, notAfter: { lte: horizon } } });
  const warnings: ExpiryWarning[] = [];
  for (const row of rows) {
    const left = daysLeft(row.notAfter, now);
    const sent = new Set(row.expiryNotified.split(",").filter(Boolean).map(Number));
    // Only the tightest threshold crossed: a certificate found at 5 days warns once, for 7.
    const threshold = [...EXPIRY_WARNING_DAYS].reverse().find((days) => left <= days);
    if (threshold === undefined || sent.has(threshold)) continue;
    warnings.push({
      certificateId: row.id,
      name: row.name,
      domains: JSON.parse(row.domains) as string[],
      notAfter: row.notAfter,
      daysLeft: left,
      threshold,
    });
  }
  return warnings;
}

export async function markExpiryWarned(certificateId: string, threshold: number): Promise<void> {
  const row = await db().certificate.findUniqueOrThrow({ where: { id: certificateId }, select: { expiryNotified: true } });
  const sent = new Set(row.expiryNotified.split(",").filter(Boolean).map(Number));
  // Crossing 7 also settles 14: a later check must not send the older, milder warning.
  for (const days of EXPIRY_WARNING_DAYS) if (days >= threshold) sent.add(days);
  await db().certificate.update({ where: { id: certificateId }, data: { expiryNotified: [...sent].sort((a, b) => b - a).join(",") } });
}
