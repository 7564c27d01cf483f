import { AppError } from "@/lib/errors";

/** What a form's server action returns: never the values (the browser keeps what was typed). */
export interface FormState {
  status: "idle" | "error" | "success";
  /** A message for the whole form (shown above the submit button). */
  message?: string;
  /** Errors by form field name, each shown under its field. */
  fieldErrors?: Record<string, string[]>;
  /** Set when the server refused to try yet (sign-in throttling): how long to wait. */
  retryAfterSeconds?: number;
  /** Changes on every success, so a form can clear itself or re-read saved values. */
  nonce?: number;
}

export const idle: FormState = { status: "idle" };

export const success = (message?: string): FormState => ({ status: "success", message, nonce: Date.now() });

export const failure = (message: string, fieldErrors?: Record<string, string[]>): FormState => ({
  status: "error",
  message,
  fieldErrors,
});

/** Where a list field (one item per line) had each item, so "hostnames.1" becomes "Line 3". */
export type LineMap = Record<string, number[]>;

/**
 * Turns AppError.details ("hostnames.1", "upstreams.0.url", "privateKeyPem") into errors next to
 * form fields, which may be named by a dotted path ("healthCheck.intervalSeconds"). A detail goes to
 * the field of its path; for an object without a field of its own, to the object's first field
 * ("loadBalancing" -> "loadBalancing.policy"); else to the nearest field above it, a list's item
 * marked with its line ("upstreams.2.url" -> "upstreams", "Line 3: ..."). A detail for none of the
 * form's fields is shown with the form's message.
 */
export function fieldErrorsFrom(
  details: Record<string, string>,
  fields: readonly string[],
  lines: LineMap = {},
): { fieldErrors: Record<string, string[]>; unplaced: string[] } {
  const fieldErrors: Record<string, string[]> = {};
  const unplaced: string[] = [];
  const entries = Object.entries(details).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
  for (const [path, message] of entries) {
    const place = placeOf(path, fields);
    if (place === undefined) {
      unplaced.push(message);
      continue;
    }
    const { field, item } = place;
    let text = message;
    if (item !== undefined && /^\d+$/.test(item)) {
      const line = lines[field]?.[Number(item)] ?? Number(item) + 1;
      text = `Line ${line}: ${message}`;
    }
    (fieldErrors[field] ??= []).push(text);
  }
  return { fieldErrors, unplaced };
}

/** The field showing the detail at `path`, and the key right below that field when the path goes deeper. */
function placeOf(path: string, fields: readonly string[]): { field: string; item?: string } | undefined {
  if (fields.includes(path)) return { field: path };
  const inside = fields.find((field) => field.startsWith(`${path}.`));
  if (inside !== undefined) return { field: inside };
  const parts = path.split(".");
  for (let end = parts.length - 1; end > 0; end--) {
    const field = parts.slice(0, end).join(".");
    if (fields.includes(field)) return { field, item: parts[end] };
  }
  return undefined;
}

/** Whether the last save found a problem in a field under `path` ("healthCheck" holds "healthCheck.path"). */
export const hasErrorsUnder = (errors: Record<string, string[]>, path: string): boolean =>
  Object.entries(errors).some(([field, messages]) => field.startsWith(`${path}.`) && messages.length > 0);

/** The FormState for any error a service threw: AppErrors are explained, anything else is logged by Next. */
export function stateFromError(
  error: unknown,
  fields: readonly string[],
  lines: LineMap = {},
  fallback = "Something went wrong on the server. Try again in a moment.",
): FormState {
  if (!(error instanceof AppError)) {
    console.error(error);
    return failure(fallback);
  }
  const { fieldErrors, unplaced } = fieldErrorsFrom(error.details, fields, lines);
  const placed = Object.keys(fieldErrors).length > 0;
  let message = error.message;
  if (placed && error.code === "validation_failed") message = `${error.message}: see the fields marked in red.`;
  if (unplaced.length > 0) message = [message, ...unplaced].join(" ");
  return failure(message, fieldErrors);
}

/**
 * How a list textarea is split. "lines": one item per line. "addresses": also commas and spaces
 * (an address never has a space; each word is then checked on its own). "names": hostnames, one per
 * line or after a comma; spaces separate them only when every word on the line looks like a name
 * ("a.example b.example"), so "not a domain" stays one entry and is refused as having a space
 * instead of quietly becoming three names.
 */
export type ListKind = "lines" | "addresses" | "names";

/** Splits a textarea into its non-empty items, remembering each item's line number. */
export function splitLines(text: string, { kind = "lines" }: { kind?: ListKind } = {}): { items: string[]; lines: number[] } {
  const items: string[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    for (const part of splitLine(raw, kind)) {
      const value = part.trim();
      if (value === "") continue;
      items.push(value);
      lines.push(index + 1);
    }
  });
  return { items, lines };
}

function splitLine(line: string, kind: ListKind): string[] {
  if (kind === "lines") return [line];
  if (kind === "addresses") return line.split(/[\s,]+/);
  return line.split(",").flatMap((entry) => {
    const words = entry.trim().split(/\s+/);
    return words.every(looksLikeName) ? words : [entry];
  });
}

/** A dotted name or localhost: what a space-separated list of hostnames is made of. */
const looksLikeName = (word: string): boolean => /^[^.\s]+(\.[^.\s]+)+\.?$/.test(word) || word.toLowerCase() === "localhost";

/**
 * "Read as 3 names: a, b, c." when the items are not simply the text's non-empty lines (a comma or
 * space split a line), so the person sees what the field made of their input; null otherwise.
 */
export function splitSummary(text: string, kind: ListKind, noun: [string, string]): string | null {
  const { items } = splitLines(text, { kind });
  const plain = splitLines(text).items;
  if (items.length === plain.length) return null;
  return `Read as ${items.length} ${items.length === 1 ? noun[0] : noun[1]}: ${items.join(", ")}.`;
}

export const text = (formData: FormData, name: string): string => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

export const checked = (formData: FormData, name: string): boolean => formData.get(name) !== null;
