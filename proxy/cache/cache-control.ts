/**
 * A Cache-Control header's directives (RFC 9111 §5.2): names lower-case, a value where one is given
 * (quotes removed). Several headers or lines are one list. A directive given twice keeps its first
 * value; a malformed one is kept by name, so that `no-store` still counts however it is written.
 */
export type Directives = ReadonlyMap<string, string | null>;

export function parseCacheControl(values: readonly string[]): Directives {
  const directives = new Map<string, string | null>();
  for (const value of values) {
    for (const part of splitOutsideQuotes(value)) {
      const equals = part.indexOf("=");
      const name = (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
      if (name === "" || directives.has(name)) continue;
      let argument = equals === -1 ? null : part.slice(equals + 1).trim();
      if (argument?.startsWith('"') && argument.endsWith('"') && argument.length >= 2) argument = argument.slice(1, -1);
      directives.set(name, argument);
    }
  }
  return directives;
}

/**
 * A delta-seconds argument (`max-age=60`), or null when absent or unreadable. RFC 9111 §1.2.2: a
 * value too large to hold is taken as the largest (2^31 s), and one that is not a whole number
 * makes the directive count as not given, except that an invalid `max-age` reads as stale (0):
 * the safe side for a cache.
 */
export function secondsOf(directives: Directives, name: string): number | null {
  if (!directives.has(name)) return null;
  const value = directives.get(name);
  if (value === null || value === undefined || !/^\d+$/.test(value)) return name === "max-age" || name === "s-maxage" ? 0 : null;
  return Math.min(Number(value), MAX_DELTA_SECONDS);
}

export const MAX_DELTA_SECONDS = 2 ** 31;

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '"') quoted = !quoted;
    else if (char === "," && !quoted) {
      parts.push(value.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
