import { failure, fieldErrorsFrom, type FormState } from "./form-state";

/** The one JSON error shape of the REST API. */
interface ApiErrorBody {
  error: { code?: string; message?: string; details?: Record<string, string> };
}

const isApiError = (body: unknown): body is ApiErrorBody =>
  typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "object" && (body as ApiErrorBody).error !== null;

export const UNREACHABLE = "The dashboard did not answer. Check your connection and try again.";

/**
 * A form's state from an API answer that failed, in the API's own words: each detail next to its
 * field, and the message above the button unless a field already says exactly that (a wrong
 * passphrase is one sentence, shown once, where it is to be fixed).
 */
export function stateFromApiFailure(body: unknown, fields: readonly string[]): FormState {
  if (!isApiError(body)) return failure(UNREACHABLE);
  const { code, message = UNREACHABLE, details = {} } = body.error;
  const { fieldErrors, unplaced } = fieldErrorsFrom(details, fields);
  const shownAtFields = Object.values(fieldErrors).flat();
  const placed = shownAtFields.length > 0;
  let formMessage = message;
  if (placed && shownAtFields.includes(message)) formMessage = "";
  else if (placed && code === "validation_failed") formMessage = `${message}: see the fields marked in red.`;
  const text = [formMessage, ...unplaced].filter(Boolean).join(" ");
  return { status: "error", message: text || undefined, fieldErrors };
}

/** The answer's JSON, or null when it has none (a proxy's HTML error page, a cut connection). */
export async function jsonOrNull(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}
