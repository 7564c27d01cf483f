"use server";

import { revalidatePath } from "next/cache";
import { appSettingsPatchSchema } from "@/lib/schemas/settings";
import { deliver } from "@/lib/notifications/webhook";
import { updateAppSettings } from "@/lib/services/settings";
import { checked, failure, stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import type { WebhookTestState } from "./form-state";

const FIELDS = ["acmeEmail", "acmeStaging", "webhookUrl"] as const;

export async function saveSettings(previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("admin");
  try {
    await updateAppSettings({
      acmeEmail: text(formData, "acmeEmail").trim(),
      acmeStaging: checked(formData, "acmeStaging"),
      webhookUrl: text(formData, "webhookUrl").trim(),
    });
  } catch (error) {
    // Keep the nonce: the form re-reads saved values only after a success, never after an error.
    return { ...stateFromError(error, FIELDS), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  return success("Settings saved.");
}

/** Posts a test event to the URL in the field (saved or not), so it can be tried before saving. */
export async function sendTestWebhook(_previous: WebhookTestState, formData: FormData): Promise<WebhookTestState> {
  await requireRole("admin");
  const url = text(formData, "webhookUrl").trim();
  if (url === "") return failure("Enter a webhook URL first", { webhookUrl: ["Enter the URL that should receive the events"] });
  const parsed = appSettingsPatchSchema.safeParse({ webhookUrl: url });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Enter a URL that starts with http:// or https://";
    return failure(message, { webhookUrl: [message] });
  }
  const result = await deliver(url, {
    event: "test",
    message: "A test from Gatekeeper: certificate and upstream events will arrive at this URL.",
  });
  return { status: result.ok ? "success" : "error", ok: result.ok, message: result.message, nonce: Date.now() };
}
