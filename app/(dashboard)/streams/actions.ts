"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError, zodDetails } from "@/lib/errors";
import { streamInputSchema, type Stream } from "@/lib/schemas/stream";
import { createStream, deleteStream, getStream, updateStream } from "@/lib/services/streams";
import { stateFromError, success, type FormState, type LineMap } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import { STREAM_FIELDS } from "./form-values";
import { friendlyStreamMessage, readStreamForm } from "./read-stream-form";

/** The service's error in plain words; a port another stream holds (409) names the port field in its details. */
function forTheForm(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const details = Object.fromEntries(Object.entries(error.details).map(([path, message]) => [path, friendlyStreamMessage(path, message)]));
  return new AppError(error.code, error.message, details);
}

/** Creates a stream (id null) or saves the whole form onto an existing one. */
export async function saveStream(id: string | null, previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let lines: LineMap = {};
  let saved: Stream;
  try {
    const form = readStreamForm(formData);
    lines = form.lines;
    // What the form found wrong itself stops the save; the schema still checks the rest, so every error shows at once.
    if (Object.keys(form.problems).length > 0) {
      const checked = streamInputSchema.safeParse(form.input);
      const details = checked.success ? {} : zodDetails(checked.error);
      throw new AppError("validation_failed", "Some fields need attention", { ...details, ...form.problems });
    }
    saved = id === null ? await createStream(form.input) : await updateStream(id, form.input);
  } catch (error) {
    // Keep the last save's nonce: the form keys its fields on it, and must not reset on an error.
    return { ...stateFromError(forTheForm(error), STREAM_FIELDS, lines), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  if (id === null) redirect(`/streams/${saved.id}?created=1`);
  return success("Stream saved. The proxy applies the change within a few seconds.");
}

export async function setStreamEnabled(id: string, enabled: boolean, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    await updateStream(id, { enabled });
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  return success(enabled ? "Stream enabled." : "Stream disabled.");
}

export async function removeStream(id: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let name: string;
  try {
    name = (await getStream(id)).name;
    await deleteStream(id);
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  redirect(`/streams?deleted=${encodeURIComponent(name)}`);
}
