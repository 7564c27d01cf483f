import { getAppSettings } from "../services/settings";
import { childLogger } from "../log";
import type { NotificationEvent, NotificationPayload } from "./events";

const TIMEOUT_MS = 10_000;

export interface DeliveryResult {
  ok: boolean;
  /** Plain words for the dashboard: "Delivered (HTTP 200)" or what went wrong. */
  message: string;
}

/** POSTs one event as JSON to a URL; never throws, so a dead receiver cannot break the caller. */
export async function deliver(url: string, event: NotificationEvent, now = new Date()): Promise<DeliveryResult> {
  const payload: NotificationPayload = { ...event, at: now.toISOString(), product: "gatekeeper" };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "gatekeeper-webhook/1" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok
      ? { ok: true, message: `Delivered (HTTP ${response.status})` }
      : { ok: false, message: `The receiver answered HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ok: false, message: `Could not reach the webhook: ${reason}` };
  }
}

/** Sends an event to the webhook in settings, if one is set; failures are logged, not thrown. */
export async function notify(event: NotificationEvent): Promise<DeliveryResult | null> {
  const { webhookUrl } = await getAppSettings();
  if (!webhookUrl) return null;
  const result = await deliver(webhookUrl, event);
  if (!result.ok) childLogger("webhook").warn({ event: event.event, result: result.message }, "webhook delivery failed");
  return result;
}
