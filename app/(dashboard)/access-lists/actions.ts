"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import type { AccessList } from "@/lib/schemas/access-list";
import { splitIpRangeText } from "@/lib/schemas/ip-range";
import { createAccessList, deleteAccessList, getAccessList, updateAccessList } from "@/lib/services/access-lists";
import { failure, stateFromError, success, text, type FormState, type LineMap } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import { userFieldName } from "./form-values";

const FIELDS = ["name", "allow", "deny", "satisfy", "basicAuth"] as const;

interface ReadForm {
  input: Record<string, unknown>;
  lines: LineMap;
  /** The form row key of each user sent, by its index in `basicAuth`. */
  userKeys: string[];
}

/** Entries of a textarea (one per line, or separated by spaces or commas), each with its line number. */
function rangesWithLines(value: string): { items: string[]; lines: number[] } {
  const items: string[] = [];
  const lines: number[] = [];
  value.split(/\r?\n/).forEach((line, index) => {
    for (const entry of splitIpRangeText(line)) {
      items.push(entry);
      lines.push(index + 1);
    }
  });
  return { items, lines };
}

function readAccessListForm(formData: FormData): ReadForm {
  const allow = rangesWithLines(text(formData, "allow"));
  const deny = rangesWithLines(text(formData, "deny"));
  const keys = formData.getAll("userKey").map(String);
  const usernames = formData.getAll("username").map(String);
  const passwords = formData.getAll("password").map(String);
  const basicAuth: { username: string; password?: string }[] = [];
  const userKeys: string[] = [];
  keys.forEach((key, index) => {
    const username = usernames[index] ?? "";
    const password = passwords[index] ?? "";
    // A row left blank (an "Add user" never filled in) is no user, not an error.
    if (username.trim() === "" && password === "") return;
    // An empty password field means "keep the current one" (the service asks for one if the user is new).
    basicAuth.push(password === "" ? { username } : { username, password });
    userKeys.push(key);
  });
  return {
    input: { name: text(formData, "name"), allow: allow.items, deny: deny.items, satisfy: text(formData, "satisfy"), basicAuth },
    lines: { allow: allow.lines, deny: deny.lines },
    userKeys,
  };
}

/** The service's "basicAuth.2.password" becomes the field of that row in the form. */
function forTheForm(error: unknown, userKeys: string[]): { error: unknown; fields: string[] } {
  if (!(error instanceof AppError)) return { error, fields: [...FIELDS] };
  const details: Record<string, string> = {};
  const fields: string[] = [...FIELDS];
  for (const [path, message] of Object.entries(error.details)) {
    const match = /^basicAuth\.(\d+)\.(username|password)$/.exec(path);
    const key = match ? userKeys[Number(match[1])] : undefined;
    if (match && key !== undefined) {
      const field = userFieldName(key, match[2] as "username" | "password");
      details[field] = message;
      fields.push(field);
    } else {
      details[path] = message;
    }
  }
  return { error: new AppError(error.code, error.message, details), fields };
}

/** Creates an access list (id null) or saves the whole form onto an existing one. */
export async function saveAccessList(id: string | null, previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let userKeys: string[] = [];
  let lines: LineMap = {};
  let saved: AccessList;
  try {
    const form = readAccessListForm(formData);
    userKeys = form.userKeys;
    lines = form.lines;
    saved = id === null ? await createAccessList(form.input) : await updateAccessList(id, form.input);
  } catch (error) {
    const mapped = forTheForm(error, userKeys);
    // Keep the last save's nonce: the form keys its fields on it, and must not reset on an error.
    return { ...stateFromError(mapped.error, mapped.fields, lines), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  if (id === null) redirect(`/access-lists/${saved.id}?created=1`);
  return success(
    saved.siteIds.length > 0
      ? "Access list saved. The sites using it get the new rules within a few seconds."
      : "Access list saved. Choose it in a site's settings to protect that site.",
  );
}

export async function removeAccessList(id: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let name: string;
  try {
    name = (await getAccessList(id)).name;
    await deleteAccessList(id);
  } catch (error) {
    // A list in use is refused with 409: its message names the sites (details hold only their ids).
    if (error instanceof AppError) return failure(error.message);
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  redirect(`/access-lists?deleted=${encodeURIComponent(name)}`);
}
