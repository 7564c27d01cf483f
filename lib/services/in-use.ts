/**
 * What a certificate or access list used by sites says: the same sentence before a delete is
 * offered (the dashboard lists the sites instead of a delete button) and when the server refuses
 * one (another tab or an API call put it on a site in the meantime).
 */
export const IN_USE = {
  certificate: { noun: "certificate", remedy: "choose another certificate there first" },
  accessList: { noun: "access list", remedy: "choose another access list (or none) there first" },
} as const;

export type InUseKind = keyof typeof IN_USE;

/** Sites are named as they are; streams (which only access lists serve) as "the stream "…"". */
export function inUseMessage(kind: InUseKind, siteNames: readonly string[], streamNames: readonly string[] = []): string {
  const { noun, remedy } = IN_USE[kind];
  const users = [...siteNames.map((name) => `"${name}"`), ...streamNames.map((name) => `the stream "${name}"`)];
  return `This ${noun} is used by ${users.join(", ")}: ${remedy}`;
}
