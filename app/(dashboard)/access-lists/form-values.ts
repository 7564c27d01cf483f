import type { AccessList } from "@/lib/schemas/access-list";

/**
 * One user row as the form holds it. `key` identifies the row across saves and errors (row
 * positions shift when one is removed); a password is never part of it: none travels to the browser.
 */
export interface UserRowValues {
  key: string;
  username: string;
  /** Saved already: an empty password field keeps the stored password. */
  saved: boolean;
}

export interface AccessListFormValues {
  name: string;
  allow: string;
  deny: string;
  satisfy: "any" | "all";
  users: UserRowValues[];
}

export function formValuesOf(list: AccessList): AccessListFormValues {
  return {
    name: list.name,
    allow: list.allow.join("\n"),
    deny: list.deny.join("\n"),
    satisfy: list.satisfy,
    users: list.basicAuth.map(({ username }, index) => ({ key: `saved-${index}`, username, saved: true })),
  };
}

export const NEW_ACCESS_LIST: AccessListFormValues = {
  name: "",
  allow: "",
  deny: "",
  // The stricter choice, as in the API: both an allowed address and a login.
  satisfy: "all",
  users: [{ key: "new-0", username: "", saved: false }],
};

/** The form-state field name of one part of a user row, for errors shown next to it. */
export const userFieldName = (key: string, part: "username" | "password"): string => `user-${key}-${part}`;
