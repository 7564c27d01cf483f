import { db } from "../db";

/** What the site form needs to offer an access list: never its addresses or users. */
export interface AccessListOption {
  id: string;
  name: string;
}

/**
 * The access lists a site can choose, by name. Kept apart from the access-lists service so the
 * site form reads two columns, not every list's rules and users.
 */
export async function listAccessListOptions(): Promise<AccessListOption[]> {
  return db().accessList.findMany({ select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
}
