import http from "node:http";
import https from "node:https";
import type { CheckSettings } from "./health-targets";
import { failureWords, formatSeconds } from "./probe-words";
import { probeConnect } from "./tcp-probe";

/** What one check found. */
export interface ProbeResult {
  ok: boolean;
  /** The HTTP status, when the upstream answered at all. */
  status: number | null;
  /** Time until the response headers arrived; null when there was no answer. */
  latencyMs: number | null;
  /** Plain words for the dashboard when the check failed; null when it passed. */
  message: string | null;
}

/** The URL one check fetches: the upstream URL (with its path prefix) followed by the check path. */
export function checkUrl(settings: Pick<CheckSettings, "url" | "path">): URL {
  return new URL(settings.url.replace(/\/+$/, "") + settings.path);
}

/** One check, by the upstream's scheme: a TCP connect for tcp://, an HTTP(S) GET otherwise. */
export function probe(settings: CheckSettings, signal: AbortSignal): Promise<ProbeResult> {
  return settings.url.startsWith("tcp://") ? probeConnect(settings, signal) : probeHttp(settings, signal);
}

/**
 * One HTTP(S) GET on a fresh connection (a check should see whether the upstream still accepts
 * connections, not reuse a warm one). Never throws; an abort resolves with ok false.
 */
function probeHttp(settings: CheckSettings, signal: AbortSignal): Promise<ProbeResult> {
  const url = checkUrl(settings);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (message: string) => finish({ ok: false, status: null, latencyMs: null, message });
    const options: https.RequestOptions = {
      method: "GET",
      agent: false,
      signal,
      headers: { "user-agent": "gatekeeper-health-check/1", accept: "*/*", connection: "close" },
      ...(url.protocol === "https:" ? { rejectUnauthorized: settings.verifyTls } : {}),
    };
    const request = (url.protocol === "https:" ? https : http).request(url, options, (response) => {
      const latencyMs = Math.round(performance.now() - started);
      const status = response.statusCode ?? 0;
      // The body is not needed; reading it lets the connection finish normally.
      response.resume();
      response.on("error", () => undefined);
      const { from, to } = settings.expectedStatus;
      const ok = status >= from && status <= to;
      const expected = from === to ? `${from}` : `${from}-${to}`;
      finish({ ok, status, latencyMs, message: ok ? null : `Answered HTTP ${status} (expected ${expected})` });
    });
    const timer = setTimeout(() => {
      fail(`No answer within ${formatSeconds(settings.timeoutMs)}`);
      request.destroy();
    }, settings.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (signal.aborted) return fail("Check stopped");
      fail(failureWords(error));
    });
    request.end();
  });
}
