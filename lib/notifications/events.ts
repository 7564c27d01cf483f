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
