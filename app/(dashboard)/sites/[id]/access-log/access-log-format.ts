import type { Tone } from "@/app/_components/ui/badge";

/** Green for success, blue for redirects, amber for client errors, red for server errors. */
export function statusTone(status: number): Tone {
  if (status >= 500) return "red";
  if (status >= 400) return "amber";
  if (status >= 300) return "blue";
  if (status >= 200) return "green";
  return "slate"; // 0 (no answer) and 1xx (a websocket)
}

/** What a status that is not a number people know means, for its tooltip. */
export function statusHint(status: number): string | undefined {
  if (status === 0) return "The client left before any answer was sent";
  if (status === 101) return "Websocket";
  return undefined;
}

/** "14:03:07" for today (UTC, like the rest of the dashboard), "23 Nov 14:03:07" before. */
export function requestTime(iso: string, now = new Date()): string {
  const time = new Date(iso);
  const clock = time.toLocaleTimeString("en-GB", { hour12: false, timeZone: "UTC" });
  if (time.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return clock;
  return `${time.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })} ${clock}`;
}
