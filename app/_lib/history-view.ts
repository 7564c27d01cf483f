import type { AuditAction } from "@/lib/audit/record";
import type { AuditChange } from "@/lib/schemas/audit";

/** The kinds of object the history filters by, in words. */
export const KIND_WORDS: Record<string, string> = {
  site: "Site",
  certificate: "Certificate",
  accessList: "Access list",
  dnsProvider: "DNS provider",
  settings: "Settings",
  user: "User",
  apiToken: "API token",
  backup: "Backup",
};

/** The kind as a word inside a sentence: "site", "access list", but "DNS provider" keeps its capitals. */
export function kindNoun(objectType: string): string {
  const kind = KIND_WORDS[objectType] ?? objectType;
  return /^[A-Z]{2}/.test(kind) ? kind : kind.toLowerCase();
}

const ACTION_WORDS: Record<AuditAction, string> = {
  create: "created",
  update: "changed",
  delete: "deleted",
  "sign-in": "signed in",
  "sign-in-failed": "failed to sign in",
  "token-used": "used",
  "two-factor-enabled": "turned on two-factor sign-in for",
  "two-factor-disabled": "turned off two-factor sign-in for",
  "recovery-codes-regenerated": "made new recovery codes for",
  restore: "restored",
  "cache-purge": "purged the cache of",
};

export const actionWords = (action: string): string => ACTION_WORDS[action as AuditAction] ?? action;

/** Where an object of this kind is shown, while it exists. */
export function objectHref(objectType: string, objectId: string | null): string | null {
  const base: Record<string, string> = { site: "/sites", certificate: "/certificates", accessList: "/access-lists", dnsProvider: "/dns-providers" };
  if (objectType === "settings") return "/settings";
  if (objectType === "user") return "/users";
  return objectId && base[objectType] ? `${base[objectType]}/${objectId}` : null;
}

/** A change's object by name: as it is now, else as the change had it, else its id. */
export function objectName(change: AuditChange, current: ReadonlyMap<string, string>): string {
  if (change.objectId && current.has(change.objectId)) return current.get(change.objectId)!;
  const named = change.diff.find((field) => field.field === "name" || field.field === "email");
  const name = named ? (named.before ?? named.after) : null;
  if (typeof name === "string" && name !== "") return name;
  return change.objectId ?? "";
}

const MAX_VALUE = 120;

/** A field's value as a person reads it: text as is, nothing as "(none)", lists and objects compact. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(none)";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value) && value.every((item) => typeof item !== "object")) return value.length === 0 ? "(none)" : value.join(", ");
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** The history page's filters from its query string; a date means the whole day (UTC). */
export function historyQuery(params: Record<string, string | string[] | undefined>): {
  filters: { kind: string; who: string; from: string; to: string };
  query: Record<string, string | undefined>;
} {
  const one = (key: string) => {
    const value = params[key];
    return typeof value === "string" ? value.trim() : "";
  };
  const filters = { kind: one("kind"), who: one("who"), from: one("from"), to: one("to") };
  const day = (value: string, time: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${time}Z` : value);
  return {
    filters,
    query: {
      objectType: filters.kind || undefined,
      actor: filters.who || undefined,
      from: filters.from ? day(filters.from, "00:00:00.000") : undefined,
      to: filters.to ? day(filters.to, "23:59:59.999") : undefined,
      limit: "1000",
    },
  };
}

/** The query string of the filters (and a page), for links that keep them. */
export function historySearch(filters: Record<string, string>, page?: number): string {
  const search = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ""));
  if (page !== undefined && page > 1) search.set("page", String(page));
  const text = search.toString();
  return text ? `?${text}` : "";
}
