/** Fields that change by themselves (status, times, progress): not what a person changed. */
const NOISE = new Set(["status", "createdAt", "updatedAt", "daysLeft", "progress", "ordering", "lastError", "nextAttemptAt", "health"]);

export interface FieldChange {
  /** A path like "upstreams.0.url" or "healthCheck.intervalSeconds". */
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * In nested items: ids (an upstream's, a route's) follow the item, a person changed the item; an
 * upstream's health is measured, not set.
 */
const NESTED_NOISE = new Set(["id", "health"]);

const isPlain = (value: unknown) => value === null || typeof value !== "object";

/** The leaves of an object by path; lists of objects by index, lists of plain values whole. */
function leaves(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(value) && value.every(isPlain)) {
    into.set(prefix, value);
  } else if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    if (entries.length === 0 && prefix !== "") into.set(prefix, value);
    for (const [key, item] of entries) {
      if (prefix === "" ? NOISE.has(key) : NESTED_NOISE.has(key)) continue;
      leaves(item, prefix ? `${prefix}.${key}` : key, into);
    }
  } else if (prefix !== "") {
    into.set(prefix, value);
  }
  return into;
}

/** What differs between two versions of an object, field by field, in the order the fields appear. */
export function diffObjects(before: unknown, after: unknown): FieldChange[] {
  const old = leaves(before ?? {}, "", new Map());
  const now = leaves(after ?? {}, "", new Map());
  const fields = [...new Set([...old.keys(), ...now.keys()])];
  return fields
    .filter((field) => JSON.stringify(old.get(field) ?? null) !== JSON.stringify(now.get(field) ?? null))
    .map((field) => ({ field, before: old.get(field) ?? null, after: now.get(field) ?? null }));
}
