import { db, type Prisma } from "../db";
import { AppError, notFound, validationError } from "../errors";
import {
  type certificateAcmeSchema,
  certificateInputSchema,
  type AcmeChallenge,
  type Certificate,
  type CertificateSource,
  type ProgressStep,
} from "../schemas/certificate";
import type { z } from "zod";
import { getAppSettings, updateAppSettings } from "./settings";
import { notifyProxy } from "../config/notify";
import { validateUpload } from "../certs/validate-upload";
import { generateSelfSigned } from "../certs/self-signed";
import { inspectCertificate } from "../certs/inspect";
import { sealPrivateKey } from "../certs/key-crypto";
import { daysLeft, expiryStatus } from "../certs/expiry";
import { coveringWildcard, sameNames } from "../certs/covers";
import { bumpRevision } from "./revision";
import { inUseMessage } from "./in-use";
import { recordAudit } from "../audit/record";

interface CertificateRow {
  id: string;
  name: string;
  source: string;
  domains: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  certificatePem: string;
  lastError: string | null;
  autoRenew: boolean;
  orderStatus: string;
  progress: string;
  renewAt: Date | null;
  nextAttemptAt: Date | null;
  challenge: string;
  dnsProviderId: string | null;
  sites: { id: string }[];
}

const withSiteIds = { sites: { select: { id: true }, orderBy: { createdAt: "asc" } } } as const;

type CertificateAcmeRequest = z.output<typeof certificateAcmeSchema>;

export interface CreatedCertificate {
  certificate: Certificate;
  warnings: string[];
}

export async function listCertificates(now = new Date()): Promise<Certificate[]> {
  const rows = await db().certificate.findMany({ include: withSiteIds, orderBy: { notAfter: "asc" } });
  return rows.map((row) => toCertificate(row, now));
}

export async function getCertificate(id: string, now = new Date()): Promise<Certificate> {
  const row = await db().certificate.findUnique({ where: { id }, include: withSiteIds });
  if (!row) throw notFound("Certificate");
  return toCertificate(row, now);
}

/** The issued wildcard certificate a new site with these hostnames picks up, if any. */
export async function coveringWildcardCertificate(hostnames: string[], now = new Date()): Promise<Certificate | undefined> {
  const issued = (await listCertificates(now)).filter((certificate) => certificate.serialNumber !== "");
  return coveringWildcard(issued, hostnames);
}

/** Validates, seals the private key, stores, and bumps the revision. Nothing is saved on any error. */
export async function createCertificate(input: unknown, now = new Date()): Promise<CreatedCertificate> {
  const parsed = certificateInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const request = parsed.data;
  if (request.type === "acme") return { certificate: await requestAcmeCertificate(request, now), warnings: [] };

  let material: { certificatePem: string; chainPem: string; privateKeyPem: string };
  let warnings: string[] = [];
  let source: CertificateSource;
  if (request.type === "upload") {
    const checked = validateUpload(
      { certificatePem: request.certificatePem, privateKeyPem: request.privateKeyPem, chainPem: request.chainPem },
      { now },
    );
    if (!checked.ok) throw new AppError("validation_failed", "The certificate was not saved", checked.errors);
    material = checked.certificate;
    warnings = checked.warnings;
    source = "upload";
  } else {
    const generated = await generateSelfSigned(request.domains, { now });
    material = { ...generated, chainPem: "" };
    source = "self-signed";
  }

  const info = inspectCertificate(material.certificatePem);
  const name = request.name?.trim() || info.domains[0] || info.subject;
  const id = await db().$transaction(async (tx) => {
    await bumpRevision(tx);
    const row = await tx.certificate.create({
      data: {
        name,
        source,
        domains: JSON.stringify(info.domains),
        issuer: info.issuer,
        serialNumber: info.serialNumber,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        certificatePem: material.certificatePem,
        chainPem: material.chainPem,
        privateKeyEnc: sealPrivateKey(material.privateKeyPem),
      },
    });
    return row.id;
  });
  notifyProxy();
  const certificate = await getCertificate(id, now);
  await recordAudit({ action: "create", objectType: "certificate", objectId: id, after: certificate });
  return { certificate, warnings };
}

export async function deleteCertificate(id: string): Promise<void> {
  const before = await getCertificate(id);
  await db().$transaction(async (tx) => {
    await bumpRevision(tx); // first, to hold the write lock (see writeSite in sites.ts)
    const row = await tx.certificate.findUnique({
      where: { id },
      include: { sites: { select: { id: true, name: true }, orderBy: { createdAt: "asc" } } },
    });
    if (!row) throw notFound("Certificate");
    if (row.sites.length > 0) {
      throw new AppError(
        "conflict",
        inUseMessage(
          "certificate",
          row.sites.map((site) => site.name),
        ),
        {
          siteIds: row.sites.map((site) => site.id).join(","),
        },
      );
    }
    await tx.certificate.delete({ where: { id } });
  });
  notifyProxy();
  await recordAudit({ action: "delete", objectType: "certificate", objectId: id, before });
}

/**
 * Starts a Let's Encrypt (ACME) order: a pending certificate the proxy primary picks up and fills
 * in. The first email anybody gives becomes the default, so the next order is prefilled; earlier
 * orders for the same names that never got a certificate are retired (left alone, they would keep
 * retrying in the background and keep a failure banner up after this one succeeds).
 */
async function requestAcmeCertificate(request: CertificateAcmeRequest, now: Date): Promise<Certificate> {
  const settings = await getAppSettings();
  const email = request.email ?? settings.acmeEmail;
  if (!email) {
    throw new AppError("validation_failed", "Some fields need attention", {
      email: "Enter the email Let's Encrypt should use for expiry notices (or set one in Settings)",
    });
  }
  if (request.siteId && !(await db().site.findUnique({ where: { id: request.siteId }, select: { id: true } }))) {
    throw new AppError("validation_failed", "Some fields need attention", { siteId: "There is no site with this id" });
  }
  const dnsProviderId = request.challenge === "dns-01" ? (request.dnsProviderId ?? null) : null;
  if (dnsProviderId && !(await db().dnsProvider.findUnique({ where: { id: dnsProviderId }, select: { id: true } }))) {
    throw new AppError("validation_failed", "Some fields need attention", { dnsProviderId: "There is no DNS provider with this id" });
  }
  const id = await db().$transaction(async (tx) => {
    await bumpRevision(tx);
    const row = await tx.certificate.create({
      data: {
        name: request.name?.trim() || request.domains[0]!,
        source: "acme",
        domains: JSON.stringify(request.domains),
        // Filled in when the certificate is issued; until then the status says "pending".
        issuer: "",
        serialNumber: "",
        notBefore: now,
        notAfter: now,
        certificatePem: "",
        privateKeyEnc: "",
        autoRenew: true,
        orderStatus: "queued",
        acmeEmail: email,
        acmeStaging: request.staging ?? settings.acmeStaging,
        assignSiteId: request.siteId ?? null,
        assignForceHttps: request.forceHttps,
        challenge: request.challenge,
        dnsProviderId,
      },
    });
    await retireFailedOrders(tx, request.domains, row.id);
    return row.id;
  });
  if (!settings.acmeEmail && request.email) await updateAppSettings({ acmeEmail: request.email });
  notifyProxy();
  const certificate = await getCertificate(id, now);
  await recordAudit({ action: "create", objectType: "certificate", objectId: id, after: certificate });
  return certificate;
}

/** Orders for the same names that failed before any certificate was issued, and serve no site. */
async function retireFailedOrders(tx: Prisma.TransactionClient, domains: string[], keepId: string): Promise<void> {
  const candidates = await tx.certificate.findMany({
    where: { id: { not: keepId }, source: "acme", certificatePem: "", orderStatus: "none", lastError: { not: null }, sites: { none: {} } },
    select: { id: true, domains: true },
  });
  const stale = candidates.filter((candidate) => sameNames(JSON.parse(candidate.domains) as string[], domains));
  if (stale.length > 0) await tx.certificate.deleteMany({ where: { id: { in: stale.map((candidate) => candidate.id) } } });
}

/** Queues a renewal now ("Renew now"); the old certificate keeps serving until the new one is in. */
export async function requestRenewal(id: string, now = new Date()): Promise<Certificate> {
  await db().$transaction(async (tx) => {
    await bumpRevision(tx);
    const row = await tx.certificate.findUnique({ where: { id }, select: { source: true, orderStatus: true } });
    if (!row) throw notFound("Certificate");
    if (row.source !== "acme") {
      throw new AppError("conflict", "Only Let's Encrypt (ACME) certificates can be renewed here: upload a new certificate instead");
    }
    if (row.orderStatus === "none") await tx.certificate.update({ where: { id }, data: { orderStatus: "queued", nextAttemptAt: null } });
  });
  notifyProxy();
  return getCertificate(id, now);
}

function toCertificate(row: CertificateRow, now: Date): Certificate {
  const issued = row.certificatePem !== "";
  const ordering = row.orderStatus !== "none";
  const status = !issued && ordering ? "pending" : row.lastError ? "failed" : expiryStatus(row.notAfter, now);
  return {
    id: row.id,
    name: row.name,
    source: row.source as CertificateSource,
    domains: JSON.parse(row.domains) as string[],
    issuer: row.issuer,
    serialNumber: row.serialNumber,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    daysLeft: daysLeft(row.notAfter, now),
    status,
    lastError: row.lastError,
    autoRenew: row.autoRenew,
    siteIds: row.sites.map((site) => site.id),
    progress: JSON.parse(row.progress) as ProgressStep[],
    renewAt: row.renewAt?.toISOString() ?? null,
    nextAttemptAt: row.lastError ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    ordering,
    challenge: row.challenge as AcmeChallenge,
    dnsProviderId: row.dnsProviderId,
  };
}
