import { db } from "../db";
import { logger } from "../log";
import { currentActor } from "./actor";

export const AUDIT_OBJECT_TYPES = ["site", "stream", "certificate", "accessList", "dnsProvider", "settings", "user", "apiToken", "backup"] as const;
export type AuditObjectType = (typeof AUDIT_OBJECT_TYPES)[number];
export type AuditAction =
  | "create"
  | "update"
  | "delete"
  | "sign-in"
  | "sign-in-failed"
  | "token-used"
  | "two-factor-enabled"
  | "two-factor-disabled"
  | "recovery-codes-regenerated"
  | "restore"
  | "cache-purge";

/** History older than this is deleted as new entries arrive. */
export const AUDIT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditRecord {
  action: AuditAction;
  objectType: AuditObjectType;
  objectId: string | null;
  before?: unknown;
  after?: unknown;
  /** Who, when not the request's actor (a failed sign-in names the email tried). */
  actor?: string;
}

/**
 * Adds one entry to the history, after the change it describes was saved. A failure to write it
 * is logged, never a reason to report the saved change as failed.
 */
export async function recordAudit(entry: AuditRecord, now = new Date()): Promise<void> {
  try {
    await writeEntry(entry, now);
  } catch (error) {
    logger.warn({ err: error, objectType: entry.objectType, objectId: entry.objectId }, "could not record a change in the history");
  }
}

async function writeEntry(entry: AuditRecord, now: Date): Promise<void> {
  await db().auditEntry.create({
    data: {
      at: now,
      actor: entry.actor ?? currentActor(),
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    },
  });
  await db().auditEntry.deleteMany({ where: { at: { lt: new Date(now.getTime() - AUDIT_RETENTION_DAYS * DAY_MS) } } });
}
