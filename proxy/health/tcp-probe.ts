import net from "node:net";
import type { CheckSettings } from "./health-targets";
import type { ProbeResult } from "./probe";
import { failureWords, formatSeconds } from "./probe-words";

/**
 * One TCP connect to a tcp:// upstream (a pass-through site's, a stream's): up when it accepts a
 * connection within the timeout, which is closed at once. Nothing is sent, so a TLS or any other
 * server behind it sees only a connection that went away. Never throws.
 */
export function probeConnect(settings: Pick<CheckSettings, "url" | "timeoutMs">, signal: AbortSignal): Promise<ProbeResult> {
  const url = new URL(settings.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(url.port) });
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
      socket.destroy();
      resolve(result);
    };
    const fail = (message: string) => finish({ ok: false, status: null, latencyMs: null, message });
    const stop = () => fail("Check stopped");
    const timer = setTimeout(() => fail(`No connection within ${formatSeconds(settings.timeoutMs)}`), settings.timeoutMs);
    if (signal.aborted) return stop();
    signal.addEventListener("abort", stop, { once: true });
    socket.once("connect", () => finish({ ok: true, status: null, latencyMs: Math.round(performance.now() - started), message: null }));
    socket.once("error", (error: NodeJS.ErrnoException) => fail(failureWords(error)));
  });
}
