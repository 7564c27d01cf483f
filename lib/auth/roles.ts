/**
 * What each role may do. Viewers read everything; operators also change sites, certificates,
 * access lists and DNS providers; admins also change settings, users, backups and the history.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const isRole = (value: unknown): value is Role => typeof value === "string" && (ROLES as readonly string[]).includes(value);

/** A stored role that is no longer known grants the least. */
export const roleOf = (value: unknown): Role => (isRole(value) ? value : "viewer");

export function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export function lowerOf(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

export const ROLE_WORDS: Record<Role, string> = {
  viewer: "a viewer (read-only)",
  operator: "an operator (sites, certificates, access lists, DNS providers)",
  admin: "an admin",
};
