import { setTimeout as sleep } from "node:timers/promises";
import { DnsProviderFailure, defineDnsProvider, type TxtRecord, apiTokenCredentials, noSettings } from "../dns-provider";
import { detailOf, type ProviderAnswer, parseJson, requestProvider } from "../provider-request";
import { relativeName } from "../relative-name";

const API_URL = "https://desec.io/api/v1";
/** deSEC's default minimum TTL for a domain. */
const TTL_SECONDS = 3600;
/** deSEC throttles RRset changes per domain (2/s, 15/min): a few waits ride out a burst of names. */
const THROTTLE_RETRIES = 3;
/** A longer wait (an hourly or daily limit) would hold the order too long: fail and say when. */
const MAX_THROTTLE_WAIT_SECONDS = 60;

interface RRset {
  records?: string[];
}

const quote = (value: string) => `"${value}"`;
const unquote = (record: string) => record.replace(/^"|"$/g, "");

function retryAfterSeconds(header: string | null): number {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}

function waitText(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole === 1) return "a second";
  return whole < 120 ? `${whole} seconds` : `${Math.ceil(whole / 60)} minutes`;
}

function desecFailure(answer: ProviderAnswer, record: TxtRecord): DnsProviderFailure {
  const { status } = answer;
  const detail = detailOf(answer.text);
  switch (true) {
    case status === 401:
      return new DnsProviderFailure(
        "deSEC did not accept the token: check that the whole token was pasted, and that it has not been deleted or expired in deSEC's token management",
        detail,
      );
    case status === 403:
      return new DnsProviderFailure(
        `deSEC's token may not change the TXT records at ${record.fqdn}: give the token a policy that allows writing them, or use a token without restrictions`,
        detail,
      );
    case status === 404:
      return new DnsProviderFailure(
        `deSEC has no domain ${record.zone} in this account: check that it is in the deSEC account the token belongs to`,
        detail,
      );
    case status === 429: {
      const wait = waitText(retryAfterSeconds(answer.headers.get("retry-after")));
      return new DnsProviderFailure(`deSEC is limiting requests (too many DNS changes in a short time): wait ${wait} and try again`, detail);
    }
    case status === 400:
      return new DnsProviderFailure(`deSEC refused the TXT record at ${record.fqdn} (its reason is below)`, detail);
    case status >= 500:
      return new DnsProviderFailure(`deSEC's API failed (HTTP ${status}): try again later`, detail);
    default:
      return new DnsProviderFailure(`deSEC gave an unexpected answer (HTTP ${status})`, detail);
  }
}

export const desec = defineDnsProvider({
  type: "desec",
  label: "deSEC",
  settings: noSettings,
  credentials: apiTokenCredentials,
  labels: {
    settings: {},
    credentials: {
      apiToken: { label: "API token", help: "Create one in deSEC's web interface under Token Management; it is shown once." },
    },
  },
  connect(_settings, { apiToken }, { baseUrl = API_URL } = {}) {
    async function call(method: string, path: string, record: TxtRecord, body?: unknown): Promise<ProviderAnswer> {
      for (let attempt = 0; ; attempt++) {
        const answer = await requestProvider("deSEC's API", baseUrl + path, {
          method,
          headers: { authorization: `Token ${apiToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (answer.status !== 429) return answer;
        const wait = retryAfterSeconds(answer.headers.get("retry-after"));
        if (attempt >= THROTTLE_RETRIES || wait > MAX_THROTTLE_WAIT_SECONDS) throw desecFailure(answer, record);
        await sleep(wait * 1000);
      }
    }

    const zonePath = (record: TxtRecord) => `/domains/${encodeURIComponent(record.zone)}/rrsets/`;
    // deSEC names the apex "@" in URLs: an empty segment would collapse into "//".
    const rrsetPath = (record: TxtRecord) => `${zonePath(record)}${encodeURIComponent(relativeName(record.fqdn, record.zone)) || "@"}/TXT/`;

    /** The set's records as deSEC stores them (quoted), or null when the name has no TXT set. */
    async function currentRecords(record: TxtRecord): Promise<string[] | null> {
      const answer = await call("GET", rrsetPath(record), record);
      if (answer.status === 404) return null;
      if (answer.status !== 200) throw desecFailure(answer, record);
      return (parseJson(answer.text) as RRset | undefined)?.records ?? [];
    }

    /** deSEC replaces a set's records as a whole; an empty list removes the set. */
    async function patchRecords(record: TxtRecord, records: string[]): Promise<void> {
      const answer = await call("PATCH", rrsetPath(record), record, { records });
      if (answer.status !== 200 && answer.status !== 204) throw desecFailure(answer, record);
    }

    return {
      async createTxt(record) {
        const records = await currentRecords(record);
        if (records === null) {
          // The RRset's own URL only changes a set that exists; a new one is created on the list.
          const subname = relativeName(record.fqdn, record.zone);
          const answer = await call("POST", zonePath(record), record, { subname, type: "TXT", ttl: TTL_SECONDS, records: [quote(record.value)] });
          if (answer.status !== 201) throw desecFailure(answer, record);
          return;
        }
        if (records.some((r) => unquote(r) === record.value)) return;
        await patchRecords(record, [...records, quote(record.value)]);
      },
      async deleteTxt(record) {
        const records = await currentRecords(record);
        if (!records?.some((r) => unquote(r) === record.value)) return;
        await patchRecords(
          record,
          records.filter((r) => unquote(r) !== record.value),
        );
      },
    };
  },
});
