/** What the webhook receives: one JSON object per event, with a stable `event` name. */
export type NotificationEvent =
  | { event: "test"; message: string }
  | { event: "certificate.issued"; certificateId: string; name: string; domains: string[]; notAfter: string; renewal: boolean }
  | {
      event: "certificate.renewal_failed";
      certificateId: string;
      name: string;
      domains: string[];
      error: string;
      notAfter: string;
      nextAttemptAt: string;
    }
  | { event: "certificate.expiring_soon"; certificateId: string; name: string; domains: string[]; daysLeft: number; notAfter: string }
  | { event: "upstream.down"; address: string; siteIds: string[]; siteNames: string[]; message: string }
  | { event: "upstream.recovered"; address: string; siteIds: string[]; siteNames: string[]; message: string };

export type NotificationPayload = NotificationEvent & { at: string; product: "gatekeeper" };

/**
 * Every event the webhook receives besides "test", with what it means, for the Settings page.
 * `satisfies` makes a new event in NotificationEvent fail to compile until it is described here.
 */
export const WEBHOOK_EVENTS = {
  "certificate.issued": "a certificate was issued or renewed.",
  "certificate.renewal_failed": "a renewal failed; the current certificate keeps serving and the proxy tries again by itself.",
  "certificate.expiring_soon": "a certificate has 14, 7 or 1 days left (it is sent once for each).",
  "upstream.down": "an upstream server stopped answering its health check (at most one call per server in a few minutes).",
  "upstream.recovered": "an upstream server that was down answers its health check again.",
} as const satisfies Record<Exclude<NotificationEvent["event"], "test">, string>;

export type WebhookEventName = keyof typeof WEBHOOK_EVENTS;
