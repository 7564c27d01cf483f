"use server";

import type { Explanation } from "@/lib/schemas/explain";
import { explainRequest } from "@/lib/services/explain";
import { stateFromError, text, type FormState } from "@/app/_lib/form-state";
import { requireUser } from "@/app/_lib/session";
import { readHeaderLines } from "./header-lines";

const EXPLAIN_FIELDS = ["url", "method", "clientIp", "headers"] as const;

export type ExplainState = FormState & { explanation?: Explanation; asked?: string };

/** Asks the proxy; the answer is shown below the form, which keeps what was typed. */
export async function explainAction(_previous: ExplainState, formData: FormData): Promise<ExplainState> {
  await requireUser();
  const headers = readHeaderLines(text(formData, "headers"));
  if (typeof headers === "string") return { status: "error", message: "Some fields need attention", fieldErrors: { headers: [headers] } };
  const clientIp = text(formData, "clientIp").trim();
  const url = text(formData, "url").trim();
  try {
    const explanation = await explainRequest({ url, method: text(formData, "method") || "GET", headers, ...(clientIp === "" ? {} : { clientIp }) });
    return { status: "success", explanation, asked: url, nonce: Date.now() };
  } catch (error) {
    return stateFromError(error, EXPLAIN_FIELDS);
  }
}
