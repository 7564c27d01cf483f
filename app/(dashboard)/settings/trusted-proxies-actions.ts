"use server";

import { revalidatePath } from "next/cache";
import { updateAppSettings } from "@/lib/services/settings";
import { splitLines, stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";

/** Saves the textarea (one address or range per line); an error names the line it is on. */
export async function saveTrustedProxies(previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("admin");
  const { items, lines } = splitLines(text(formData, "trustedProxies"), { kind: "addresses" });
  try {
    await updateAppSettings({ trustedProxies: items });
  } catch (error) {
    // Keep the nonce: the textarea re-reads the saved list only after a success, never after an error.
    return { ...stateFromError(error, ["trustedProxies"], { trustedProxies: lines }), nonce: previous.nonce };
  }
  revalidatePath("/settings");
  return success(
    items.length === 0
      ? "Saved: the proxy trusts no forwarding headers. It applies the change within a few seconds."
      : `Saved ${items.length} trusted ${items.length === 1 ? "address" : "addresses"}. The proxy applies the change within a few seconds.`,
  );
}
