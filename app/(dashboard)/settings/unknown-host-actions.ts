"use server";

import { revalidatePath } from "next/cache";
import { updateAppSettings } from "@/lib/services/settings";
import { stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";

const FIELDS = ["unknownHost.action", "unknownHost.redirectTo", "unknownHost.page"] as const;

const SAVED: Record<string, string> = {
  not_found: "Saved: unknown addresses get a “not found” page.",
  redirect: "Saved: unknown addresses are sent to the address you gave.",
  drop: "Saved: unknown addresses get no answer at all.",
};

/**
 * Saves the choice with only the fields it uses, so that a hidden field (the redirect address
 * while "not found" is chosen) can neither block the save nor linger in the setting.
 */
export async function saveUnknownHost(previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("admin");
  const action = text(formData, "action");
  const unknownHost =
    action === "redirect"
      ? { action, redirectTo: text(formData, "redirectTo").trim() }
      : action === "not_found"
        ? { action, page: text(formData, "page") }
        : { action };
  try {
    await updateAppSettings({ unknownHost });
  } catch (error) {
    // Keep the nonce: the fields re-read the saved setting only after a success, never after an error.
    return { ...stateFromError(error, FIELDS), nonce: previous.nonce };
  }
  revalidatePath("/settings");
  return success(`${SAVED[action]} The proxy applies the change within a few seconds.`);
}
