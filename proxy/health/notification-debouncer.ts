import type { UpstreamNotificationEvent } from "./health-notifier";

/** At most one event per address in this long, unless HEALTH_NOTIFY_DEBOUNCE_MS says otherwise. */
export const DEFAULT_NOTIFY_DEBOUNCE_MS = 5 * 60 * 1000;

export interface AddressInfo {
  /** The address the event names, when the key it is tracked by is not the address itself (a check's key). */
  address?: string;
  siteIds: string[];
  siteNames: string[];
  /** Why it is in this state, in plain words (the last check's result). */
  message: string;
}

export interface NotificationDebouncerOptions {
  debounceMs: number;
  send(event: UpstreamNotificationEvent): void;
}

interface Tracked {
  /** The state the last event told (or, at start, the state known from before). */
  reported: "up" | "down" | undefined;
  current: "up" | "down";
  info: AddressInfo;
  sentAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Turns verdict changes into upstream.down and upstream.recovered events without flooding: at most
 * one event per address per debounce period. Changes inside the period are coalesced: when it
 * ends, the settled state is told if it differs from the last one told, and nothing is told if
 * the address flapped back to it. So an event is never stale.
 */
export class NotificationDebouncer {
  private readonly addresses = new Map<string, Tracked>();

  constructor(private readonly options: NotificationDebouncerOptions) {}

  /**
   * The states known from before this process (the database), so that a restart neither repeats
   * "down" for an upstream already reported down nor misses its recovery.
   */
  remember(address: string, state: "up" | "down"): void {
    if (this.addresses.has(address)) return;
    this.addresses.set(address, { reported: state, current: state, info: { siteIds: [], siteNames: [], message: "" }, sentAt: 0, timer: null });
  }

  /** A new verdict for an address (up or down). */
  changed(address: string, state: "up" | "down", info: AddressInfo): void {
    const tracked = this.addresses.get(address) ?? { reported: undefined, current: state, info, sentAt: 0, timer: null };
    this.addresses.set(address, tracked);
    tracked.current = state;
    tracked.info = info;
    if (tracked.timer) return; // the period's end tells the settled state
    const wait = tracked.sentAt + this.options.debounceMs - Date.now();
    if (wait <= 0) this.tell(address, tracked);
    else if (this.worthTelling(tracked)) tracked.timer = setTimeout(() => this.settle(address), wait);
  }

  /** The address is no longer checked: drop what is pending for it. */
  forget(address: string): void {
    const tracked = this.addresses.get(address);
    if (tracked?.timer) clearTimeout(tracked.timer);
    this.addresses.delete(address);
  }

  stop(): void {
    for (const tracked of this.addresses.values()) if (tracked.timer) clearTimeout(tracked.timer);
    this.addresses.clear();
  }

  private settle(address: string): void {
    const tracked = this.addresses.get(address);
    if (!tracked) return;
    tracked.timer = null;
    this.tell(address, tracked);
  }

  private worthTelling(tracked: Tracked): boolean {
    // "Recovered" only means something after "down"; an upstream first seen up is not news.
    return tracked.current === "down" ? tracked.reported !== "down" : tracked.reported === "down";
  }

  private tell(address: string, tracked: Tracked): void {
    if (!this.worthTelling(tracked)) {
      tracked.reported ??= tracked.current;
      return;
    }
    const { siteIds, siteNames, message } = tracked.info;
    const named = tracked.info.address ?? address;
    const event = tracked.current === "down" ? "upstream.down" : "upstream.recovered";
    tracked.reported = tracked.current;
    tracked.sentAt = Date.now();
    this.options.send({ event, address: named, siteIds, siteNames, message });
  }
}
