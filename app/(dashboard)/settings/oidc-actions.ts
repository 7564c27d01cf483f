"use server";

import { revalidatePath } from "next/cache";
import { updateAppSettings } from "@/lib/services/settings";
import { stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";

const FIELDS = ["oidc.enabled", "oidc.issuer", "oidc.clientId", "oidc.clientSecret", "oidc.displayName", "oidc.newUsersRole"] as const;

/**
 * Saves the single sign-on settings. An empty secret field keeps the saved secret (the page never
 * shows it); "forget" makes the client a public one, which proves itself with PKCE alone.
 */
export async function saveOidc(previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("admin");
  const secret = text(formData, "clientSecret");
  const role = text(formData, "newUsersRole");
  const enabled = formData.get("enabled") === "on";
  try {
    await updateAppSettings({
      oidc: {
        enabled,
        issuer: text(formData, "issuer").trim(),
        clientId: text(formData, "clientId").trim(),
        displayName: text(formData, "displayName").trim(),
        newUsersRole: role === "" ? null : role,
        ...(formData.get("forgetSecret") === "on" ? { clientSecret: null } : secret === "" ? {} : { clientSecret: secret }),
      },
    });
  } catch (error) {
    return { ...stateFromError(error, FIELDS), nonce: previous.nonce };
  }
  revalidatePath("/settings");
  return success(enabled ? "Saved: the sign-in page shows the single sign-on button." : "Saved: single sign-on is off.");
}
