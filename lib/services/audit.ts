import { db } from "../db";
import { AppError, notFound, validationError } from "../errors";
import { diffObjects } from "../audit/diff";
import type { AuditObjectType } from "../audit/record";
import { type AuditChange, auditQuerySchema } from "../schemas/audit";
import type { AccessList } from "../schemas/access-list";
import type { DnsProvider } from "../schemas/dns-provider";
import type { Site } from "../schemas/site";
import type { Stream } from "../schemas/stream";
import { createAccessList, deleteAccessList, updateAccessList } from "./access-lists";
import { deleteCertificate } from "./certificates";
import { createDnsProvider, deleteDnsProvider, updateDnsProvider } from "./dns-providers";
import { updateAppSettings } from "./settings";
import { toSiteData } from "./site-mapper";
import { createSite, deleteSite, updateSite } from "./sites";
import { toStreamData } from "./stream-mapper";
import { createStream, deleteStream, updateStream } from "./streams";

type Row = {
  id: string;
  at: Date;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  before: string | null;
  after: string | null;
};

/** The history, newest first, filtered as asked. */
export async function listAuditChanges(query: Record<string, string | undefined>): Promise<AuditChange[]> {
  const parsed = auditQuerySchema.safeParse(query);
  if (!parsed.success) throw validationError(parsed.error);
  const { objectType, objectId, actor, from, to, limit } = parsed.data;
  const rows = await db().auditEntry.findMany({
    where: { objectType, objectId, actor, at: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } },
    orderBy: { at: "desc" },
    take: limit,
  });
  return rows.map(toChange);
}

/**
 * Puts the object back as it was before the change: a creation is deleted, a change reverted, a
 * deletion created again. The undo is itself a change in the history.
 */
export async function undoAuditChange(id: string): Promise<unknown> {
  const row = await db().auditEntry.findUnique({ where: { id } });
  if (!row) throw notFound("Change");
  if (row.action === "restore") {
    // A restore replaced everything at once; putting it back is another restore, of the file saved just before.
    const savedBefore = (row.after ? (JSON.parse(row.after) as { savedBefore?: unknown }) : {}).savedBefore;
    throw new AppError(
      "conflict",
      `A restore cannot be undone from the history: restore the backup saved just before it${typeof savedBefore === "string" ? ` (${savedBefore}, in the data folder's backups)` : ""} instead`,
    );
  }
  if (!isUndoable(row)) {
    throw new AppError(
      "conflict",
      `This entry (${row.action}) cannot be undone: only changes to sites, streams, access lists, DNS providers and settings, and added certificates, can be`,
    );
  }
  const before = row.before ? (JSON.parse(row.before) as unknown) : null;
  const objectId = row.objectId ?? "";
  const type = row.objectType as AuditObjectType;
  if (row.action === "create") {
    await DELETE[type as keyof typeof DELETE](objectId);
    return { deleted: objectId };
  }
  if (type === "settings") return updateAppSettings(settingsPatchFrom(before));
  if (row.action === "update") return UPDATE[type as keyof typeof UPDATE](objectId, before);
  return CREATE[type as keyof typeof CREATE](before);
}

/**
 * A settings entry holds what GET /settings shows: `oidc.hasClientSecret` is no field to send, and
 * the secret itself is in no entry, so an undo keeps the one saved now.
 */
function settingsPatchFrom(before: unknown): unknown {
  if (typeof before !== "object" || before === null || !("oidc" in before)) return before;
  const { oidc, ...rest } = before as { oidc: Record<string, unknown> };
  const { hasClientSecret: _shown, ...fields } = oidc;
  return { ...rest, oidc: fields };
}

const DELETE = {
  site: deleteSite,
  stream: deleteStream,
  accessList: deleteAccessList,
  dnsProvider: deleteDnsProvider,
  certificate: deleteCertificate,
};

const UPDATE = {
  site: (id: string, before: unknown) => updateSite(id, toSiteData(before as Site)),
  stream: (id: string, before: unknown) => updateStream(id, toStreamData(before as Stream)),
  accessList: (id: string, before: unknown) => updateAccessList(id, accessListInput(before as AccessList)),
  dnsProvider: (id: string, before: unknown) => updateDnsProvider(id, dnsProviderInput(before as DnsProvider)),
};

/** A deleted object comes back as a new one (with a new id): what it held is all it gets back. */
const CREATE = {
  site: (before: unknown) => createSite(toSiteData(before as Site)),
  stream: (before: unknown) => createStream(toStreamData(before as Stream)),
  accessList: (before: unknown) => {
    const list = before as AccessList;
    if (list.basicAuth.length > 0) {
      throw new AppError("conflict", "The history keeps no passwords: create the access list again with its users' passwords");
    }
    return createAccessList(accessListInput(list));
  },
  dnsProvider: (before: unknown) => {
    const provider = before as DnsProvider;
    if (provider.hasCredentials) throw new AppError("conflict", "The history keeps no credentials: add the DNS provider again with them");
    return createDnsProvider(dnsProviderInput(provider));
  },
};

const accessListInput = ({ name, allow, deny, basicAuth, satisfy }: AccessList) => ({ name, allow, deny, basicAuth, satisfy });
const dnsProviderInput = ({ name, type, settings }: DnsProvider) => ({ name, type, settings });

function isUndoable(row: Pick<Row, "action" | "objectType">): boolean {
  if (row.action === "create") return row.objectType in DELETE;
  if (row.action === "update") return row.objectType in UPDATE || row.objectType === "settings";
  if (row.action === "delete") return row.objectType in CREATE;
  return false;
}

function toChange(row: Row): AuditChange {
  const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as unknown));
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    diff: diffObjects(parse(row.before), parse(row.after)),
    undoable: isUndoable(row),
  };
}
