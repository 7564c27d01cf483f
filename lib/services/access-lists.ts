import { db, type Prisma } from "../db";
import { AppError, notFound, validationError } from "../errors";
import { hashPassword } from "../auth/password";
import { notifyProxy } from "../config/notify";
import {
  accessListInputSchema,
  accessListPatchSchema,
  type AccessList,
  type AccessListData,
  type AccessListUserInput,
  NEW_USER_PASSWORD_MESSAGE,
} from "../schemas/access-list";
import { bumpRevision } from "./revision";
import { inUseMessage } from "./in-use";
import { recordAudit } from "../audit/record";

type Tx = Prisma.TransactionClient;

const include = {
  users: { select: { username: true }, orderBy: { position: "asc" } },
  sites: { select: { id: true }, orderBy: { createdAt: "asc" } },
  streams: { select: { id: true }, orderBy: { createdAt: "asc" } },
} as const;

interface AccessListRow {
  id: string;
  name: string;
  allow: string;
  deny: string;
  satisfy: string;
  users: { username: string }[];
  sites: { id: string }[];
  streams: { id: string }[];
  createdAt: Date;
  updatedAt: Date;
}

export async function listAccessLists(): Promise<AccessList[]> {
  const rows = await db().accessList.findMany({ include, orderBy: { createdAt: "asc" } });
  return rows.map(toAccessList);
}

export async function getAccessList(id: string): Promise<AccessList> {
  const row = await db().accessList.findUnique({ where: { id }, include });
  if (!row) throw notFound("Access list");
  return toAccessList(row);
}

export async function createAccessList(input: unknown): Promise<AccessList> {
  // The schema asks every user for a password here: on create, every user is new.
  const parsed = accessListInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const list = parsed.data;
  // Hashed before the transaction: scrypt is slow on purpose, and must not hold SQLite's write lock.
  const hashes = await hashNewPasswords(list.basicAuth);
  const id = await db().$transaction(async (tx) => {
    await bumpRevision(tx); // first, to hold the write lock (see writeSite in sites.ts)
    await assertNameFree(tx, null, list.name);
    const row = await tx.accessList.create({ data: { ...columns(list), updatedAt: new Date() } });
    await writeUsers(tx, row.id, list.basicAuth, hashes);
    return row.id;
  });
  notifyProxy();
  const created = await getAccessList(id);
  await recordAudit({ action: "create", objectType: "accessList", objectId: id, after: created });
  return created;
}

export async function updateAccessList(id: string, patch: unknown): Promise<AccessList> {
  const shown = await getAccessList(id);
  const before = await db().accessList.findUnique({ where: { id }, include: { users: { select: { username: true } } } });
  if (!before) throw notFound("Access list");
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new AppError("validation_failed", "Send a JSON object with the fields to change");
  }
  const known = new Set(before.users.map((user) => user.username));
  const sentUsers = "basicAuth" in patch ? patch.basicAuth : undefined;
  const parsed = accessListPatchSchema.safeParse(patch);
  if (!parsed.success) {
    // Every problem at once: the missing passwords too, not only on the next try.
    const error = validationError(parsed.error);
    throw new AppError(error.code, error.message, { ...missingPasswords(sentUsers, known), ...error.details });
  }
  const changes = parsed.data;
  const missing = missingPasswords(changes.basicAuth, known);
  if (Object.keys(missing).length > 0) throw new AppError("validation_failed", "Some fields need attention", missing);
  const hashes = changes.basicAuth ? await hashNewPasswords(changes.basicAuth) : new Map<string, string>();

  await db().$transaction(async (tx) => {
    const revision = await bumpRevision(tx);
    const current = await tx.accessList.findUnique({ where: { id } });
    if (!current) throw notFound("Access list");
    if (changes.name !== undefined) await assertNameFree(tx, id, changes.name);
    const merged: AccessListData = { ...dataOf(current), ...changes, basicAuth: changes.basicAuth ?? [] };
    await tx.accessList.update({ where: { id }, data: { ...columns(merged), updatedAt: new Date() } });
    if (changes.basicAuth) await writeUsers(tx, id, changes.basicAuth, hashes);
    // Every site and stream behind this list now serves different rules: each is pending until the proxy applies it.
    await tx.site.updateMany({ where: { accessListId: id }, data: { revision } });
    await tx.stream.updateMany({ where: { accessListId: id }, data: { revision } });
  });
  notifyProxy();
  const updated = await getAccessList(id);
  await recordAudit({ action: "update", objectType: "accessList", objectId: id, before: shown, after: updated });
  return updated;
}

export async function deleteAccessList(id: string): Promise<void> {
  const before = await getAccessList(id);
  await db().$transaction(async (tx) => {
    await bumpRevision(tx); // first, to hold the write lock (see writeSite in sites.ts)
    const users = { select: { id: true, name: true }, orderBy: { createdAt: "asc" } } as const;
    const row = await tx.accessList.findUnique({ where: { id }, include: { sites: users, streams: users } });
    if (!row) throw notFound("Access list");
    if (row.sites.length > 0 || row.streams.length > 0) {
      const ids = (rows: { id: string }[]) => rows.map((used) => used.id).join(",");
      throw new AppError(
        "conflict",
        inUseMessage(
          "accessList",
          row.sites.map((site) => site.name),
          row.streams.map((stream) => stream.name),
        ),
        { ...(row.sites.length > 0 ? { siteIds: ids(row.sites) } : {}), ...(row.streams.length > 0 ? { streamIds: ids(row.streams) } : {}) },
      );
    }
    await tx.accessList.delete({ where: { id } });
  });
  notifyProxy();
  await recordAudit({ action: "delete", objectType: "accessList", objectId: id, before });
}

/** A site or stream may name only a list that exists (a validation error on `accessListId`). */
export async function assertAccessListExists(tx: Tx, accessListId: string | null): Promise<void> {
  if (accessListId === null) return;
  const found = await tx.accessList.findUnique({ where: { id: accessListId }, select: { id: true } });
  if (!found) {
    throw new AppError("validation_failed", "Some fields need attention", {
      accessListId: "There is no access list with this id",
    });
  }
}

/**
 * A user the list does not know yet has no password to keep, so it must come with one. Reads the
 * users as sent (possibly not valid yet), so that this shows beside the schema's own complaints.
 */
function missingPasswords(users: unknown, known: Set<string>): Record<string, string> {
  const details: Record<string, string> = {};
  if (!Array.isArray(users)) return details;
  users.forEach((user: unknown, index) => {
    if (typeof user !== "object" || user === null) return;
    const username = "username" in user && typeof user.username === "string" ? user.username.trim() : "";
    const password = "password" in user ? user.password : undefined;
    if (password === undefined && username !== "" && !known.has(username)) details[`basicAuth.${index}.password`] = NEW_USER_PASSWORD_MESSAGE;
  });
  return details;
}

/** Username -> scrypt hash, for the users sent with a password. One at a time: each takes 32 MiB. */
async function hashNewPasswords(users: AccessListUserInput[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const user of users) {
    if (user.password !== undefined) hashes.set(user.username, await hashPassword(user.password));
  }
  return hashes;
}

/**
 * Replaces the list's users. A user sent without a password keeps the hash stored under its
 * username, read here inside the transaction so that a concurrent change cannot slip between.
 */
async function writeUsers(tx: Tx, accessListId: string, users: AccessListUserInput[], hashes: Map<string, string>): Promise<void> {
  const stored = new Map((await tx.accessListUser.findMany({ where: { accessListId } })).map((user) => [user.username, user.passwordHash]));
  const rows: Prisma.AccessListUserCreateManyInput[] = [];
  const details: Record<string, string> = {};
  users.forEach((user, position) => {
    const passwordHash = hashes.get(user.username) ?? stored.get(user.username);
    // Undefined only when someone else removed this user since the request was checked.
    if (passwordHash === undefined) details[`basicAuth.${position}.password`] = NEW_USER_PASSWORD_MESSAGE;
    else rows.push({ accessListId, username: user.username, position, passwordHash });
  });
  if (Object.keys(details).length > 0) throw new AppError("validation_failed", "Some fields need attention", details);
  await tx.accessListUser.deleteMany({ where: { accessListId } });
  await tx.accessListUser.createMany({ data: rows });
}

/**
 * Names are unique (ignoring case): a site's settings pick a list by its name, and two lists named
 * "Office" would leave the user guessing which one protects what.
 */
async function assertNameFree(tx: Tx, id: string | null, name: string): Promise<void> {
  const others = await tx.accessList.findMany({ where: id ? { id: { not: id } } : {}, select: { name: true } });
  const wanted = name.toLocaleLowerCase("en");
  const clash = others.find((other) => other.name.toLocaleLowerCase("en") === wanted);
  if (!clash) return;
  const message = `An access list named “${clash.name}” exists already`;
  throw new AppError("conflict", message, { name: `${message}: choose another name` });
}

function columns(list: AccessListData) {
  return { name: list.name, allow: JSON.stringify(list.allow), deny: JSON.stringify(list.deny), satisfy: list.satisfy };
}

/** The stored row as validated data (users aside, which a merge handles on its own). */
function dataOf(row: { name: string; allow: string; deny: string; satisfy: string }): AccessListData {
  return { name: row.name, allow: jsonList(row.allow), deny: jsonList(row.deny), satisfy: row.satisfy === "any" ? "any" : "all", basicAuth: [] };
}

function jsonList(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

function toAccessList(row: AccessListRow): AccessList {
  return {
    id: row.id,
    name: row.name,
    allow: jsonList(row.allow),
    deny: jsonList(row.deny),
    basicAuth: row.users.map(({ username }) => ({ username })),
    satisfy: row.satisfy === "any" ? "any" : "all",
    siteIds: row.sites.map((site) => site.id),
    streamIds: row.streams.map((stream) => stream.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
