import { describe, expect, it } from "vitest";
import type { UpstreamNotificationEvent } from "./health-notifier";
import { NotificationDebouncer } from "./notification-debouncer";

const DEBOUNCE_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const info = (message: string) => ({ siteIds: ["s1"], siteNames: ["Shop"], message });

function debouncer(): { debouncer: NotificationDebouncer; sent: UpstreamNotificationEvent[] } {
  const sent: UpstreamNotificationEvent[] = [];
  return { debouncer: new NotificationDebouncer({ debounceMs: DEBOUNCE_MS, send: (event) => sent.push(event) }), sent };
}

const A = "http://10.0.0.1:8080";

describe("upstream notifications", () => {
  it("tells down at once, and recovered after it", async () => {
    const { debouncer: notifier, sent } = debouncer();
    notifier.changed(A, "up", info("Answered HTTP 200 in 3 ms"));
    expect(sent).toEqual([]); // first seen up: not news
    notifier.changed(A, "down", info("Connection refused"));
    expect(sent).toEqual([{ event: "upstream.down", address: A, siteIds: ["s1"], siteNames: ["Shop"], message: "Connection refused" }]);
    await sleep(DEBOUNCE_MS + 50);
    notifier.changed(A, "up", info("Answered HTTP 200 in 4 ms"));
    expect(sent.map((event) => event.event)).toEqual(["upstream.down", "upstream.recovered"]);
    expect(sent[1]?.message).toBe("Answered HTTP 200 in 4 ms");
    notifier.stop();
  });

  it("sends at most one event per address per period, and then the settled state", async () => {
    const { debouncer: notifier, sent } = debouncer();
    notifier.changed(A, "down", info("Connection refused"));
    notifier.changed(A, "up", info("ok 1"));
    notifier.changed(A, "down", info("HTTP 500"));
    notifier.changed(A, "up", info("ok 2"));
    notifier.changed("http://other", "down", info("Connection refused"));
    expect(sent.map((event) => [event.event, event.address])).toEqual([
      ["upstream.down", A],
      ["upstream.down", "http://other"],
    ]);
    await sleep(DEBOUNCE_MS + 100);
    expect(sent.slice(2)).toEqual([{ event: "upstream.recovered", address: A, siteIds: ["s1"], siteNames: ["Shop"], message: "ok 2" }]);
    notifier.stop();
  });

  it("says nothing when an address flapped back to the state last told", async () => {
    const { debouncer: notifier, sent } = debouncer();
    notifier.changed(A, "down", info("Connection refused"));
    notifier.changed(A, "up", info("ok"));
    notifier.changed(A, "down", info("Connection refused again"));
    await sleep(DEBOUNCE_MS + 100);
    expect(sent.map((event) => event.event)).toEqual(["upstream.down"]);
    notifier.stop();
  });

  it("remembers the state from before a restart: no repeated down, and a recovery is told", () => {
    const { debouncer: notifier, sent } = debouncer();
    notifier.remember(A, "down");
    notifier.remember("http://b", "up");
    notifier.changed(A, "down", info("still refused"));
    notifier.changed("http://b", "up", info("ok"));
    expect(sent).toEqual([]);
    notifier.changed(A, "up", info("ok"));
    expect(sent.map((event) => event.event)).toEqual(["upstream.recovered"]);
    notifier.stop();
  });

  it("drops what is pending for an address that is no longer checked", async () => {
    const { debouncer: notifier, sent } = debouncer();
    notifier.changed(A, "down", info("Connection refused"));
    notifier.changed(A, "up", info("ok"));
    notifier.forget(A);
    await sleep(DEBOUNCE_MS + 100);
    expect(sent).toHaveLength(1);
  });
});
