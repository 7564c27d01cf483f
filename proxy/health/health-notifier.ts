import { notify } from "@/lib/notifications/webhook";
import type { NotificationEvent } from "@/lib/notifications/events";

export type UpstreamNotificationEvent = Extract<NotificationEvent, { event: "upstream.down" | "upstream.recovered" }>;

/** Sends one upstream event to the webhook in settings (if any); never throws. */
export async function sendUpstreamEvent(event: UpstreamNotificationEvent): Promise<void> {
  await notify(event).catch(() => null);
}
