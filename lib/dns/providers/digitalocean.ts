import { DnsProviderFailure, defineDnsProvider, type TxtRecord, apiTokenCredentials, noSettings } from "../dns-provider";
import { requestProvider } from "../provider-request";
import { relativeName } from "../relative-name";

const API_BASE_URL = "https://api.digitalocean.com";
/** DigitalOcean's lowest TTL. */
const TTL_SECONDS = 30;
/** The most one page may hold: a name's TXT records fit in one. */
const PER_PAGE = 200;

interface DomainRecord {
  id: number;
  type: string;
  name: string;
  data: string;
}

export const digitalocean = defineDnsProvider({
  type: "digitalocean",
  label: "DigitalOcean",
  settings: noSettings,
  credentials: apiTokenCredentials,
  labels: {
    settings: {},
    credentials: {
      apiToken: { label: "API token", help: "A personal access token with write scope (or the domain:create, domain:read and domain:delete scopes)" },
    },
  },
  connect(_settings, credentials, options = {}) {
    const baseUrl = options.baseUrl ?? API_BASE_URL;

    async function request<T>(record: TxtRecord, method: string, path: string, body?: object): Promise<T | undefined> {
      const { status, text } = await requestProvider("DigitalOcean's API", baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${credentials.apiToken}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      // A record removed in the meantime is what a delete wants.
      if (method === "DELETE" && status === 404) return undefined;
      if (status < 200 || status > 299) throw refusal(record, status, text);
      try {
        return text ? (JSON.parse(text) as T) : undefined;
      } catch {
        throw new DnsProviderFailure(
          "DigitalOcean's API gave an answer that is not JSON: is something between this server and DigitalOcean?",
          text.slice(0, 200),
        );
      }
    }

    const recordsPath = (record: TxtRecord) => `/v2/domains/${encodeURIComponent(record.zone)}/records`;

    return {
      async createTxt(record) {
        await request(record, "POST", recordsPath(record), {
          type: "TXT",
          name: relativeName(record.fqdn, record.zone) || "@",
          data: record.value,
          ttl: TTL_SECONDS,
        });
      },
      async deleteTxt(record) {
        const name = relativeName(record.fqdn, record.zone) || "@";
        // The name filter takes the full name; the records come back with names relative to the zone.
        const query = new URLSearchParams({ type: "TXT", name: record.fqdn, per_page: String(PER_PAGE) });
        const answer = await request<{ domain_records?: DomainRecord[] }>(record, "GET", `${recordsPath(record)}?${query}`);
        for (const found of answer?.domain_records ?? []) {
          if (found.type === "TXT" && found.name.toLowerCase() === name && found.data === record.value) {
            await request(record, "DELETE", `${recordsPath(record)}/${found.id}`);
          }
        }
      },
    };
  },
});

function refusal(record: TxtRecord, status: number, body: string): DnsProviderFailure {
  // DigitalOcean answers errors as {"id": "unauthorized", "message": "Unable to authenticate you."}.
  let detail = body;
  try {
    const { id, message } = JSON.parse(body) as { id?: string; message?: string };
    if (message) detail = id ? `${id}: ${message}` : message;
  } catch {}
  if (status === 401) {
    return new DnsProviderFailure(
      "DigitalOcean did not accept the API token: check that it was pasted whole and has not been revoked or expired",
      detail,
    );
  }
  if (status === 403) {
    return new DnsProviderFailure(
      `DigitalOcean refused the API token: it needs write access to the domain ${record.zone} (a read-only token cannot change records)`,
      detail,
    );
  }
  if (status === 404) {
    return new DnsProviderFailure(
      `DigitalOcean has no domain ${record.zone} in this account: add it under Networking → Domains, or use a token of the account that holds it`,
      detail,
    );
  }
  if (status === 429) {
    return new DnsProviderFailure("DigitalOcean is limiting how fast this token may make requests: try again in a few minutes", detail);
  }
  if (status >= 500) {
    return new DnsProviderFailure(`DigitalOcean's API failed (HTTP ${status}): this is on DigitalOcean's side, try again in a few minutes`, detail);
  }
  return new DnsProviderFailure(`DigitalOcean rejected the change to ${record.fqdn} (HTTP ${status})`, detail);
}
