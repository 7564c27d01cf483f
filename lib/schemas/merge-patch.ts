export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON merge patch (RFC 7396): objects merge key by key, null removes a key, anything else (lists too) replaces. */
export function mergeObject(target: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = isPlainObject(value) ? mergeObject(result[key], value) : value;
  }
  return result;
}
