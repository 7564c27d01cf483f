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
 * form fields. A detail for a field the form does not have is shown with the form's message.
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
    const [head = "", index] = path.split(".");
    if (!fields.includes(head)) {
      unplaced.push(message);
      continue;
    }
    let text = message;
    if (index !== undefined && /^\d+$/.test(index)) {
      const line = lines[head]?.[Number(index)] ?? Number(index) + 1;
      text = `Line ${line}: ${message}`;
    }
    (fieldErrors[head] ??= []).push(text);
  }
  return { fieldErrors, unplaced };
}

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

/** Splits a textarea into its non-empty items, remembering each item's line number. */
export function splitLines(text: string, { splitWords = false } = {}): { items: string[]; lines: number[] } {
  const items: string[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const parts = splitWords ? raw.split(/[\s,]+/) : [raw];
    for (const part of parts) {
      const value = part.trim();
      if (value === "") continue;
      items.push(value);
      lines.push(index + 1);
    }
  });
  return { items, lines };
}

export const text = (formData: FormData, name: string): string => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

export const checked = (formData: FormData, name: string): boolean => formData.get(name) !== null;
