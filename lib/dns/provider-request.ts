import { DnsProviderFailure } from "./dns-provider";

/** The longest any one call to a DNS host may take, so an order never hangs on a silent API. */
export const DNS_REQUEST_TIMEOUT_MS = 30_000;

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * `fetch` with the timeout (which also covers reading the body), the body read as text. A network
 * failure becomes "Could not reach <apiName> (...)", so each provider only words the answers.
 */
export async function requestProvider(apiName: string, url: string, init: RequestInit = {}): Promise<ProviderAnswer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(DNS_REQUEST_TIMEOUT_MS) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${DNS_REQUEST_TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new DnsProviderFailure(`Could not reach ${apiName} (${reason}): check this server's internet access and try again`, String(cause ?? error));
  }
}

/** The body as JSON, or undefined when it is not JSON (a proxy's error page, an empty body). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A provider's own words for the failure's detail, cut short: some answer with a whole HTML page. */
export function detailOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  return trimmed.length > 500 ? trimmed.slice(0, 500) + "…" : trimmed;
}
