import { DnsProviderFailure, defineDnsProvider, type TxtRecord, apiTokenCredentials, noSettings } from "../dns-provider";
import { requestProvider } from "../provider-request";
import { relativeName } from "../relative-name";

const API_BASE_URL = "https://dns.hetzner.com/api/v1";
const TTL_SECONDS = 60;

interface HetznerRecord {
  id: string;
  type: string;
  name: string;
  value: string;
}

export const hetzner = defineDnsProvider({
  type: "hetzner",
  label: "Hetzner DNS",
  settings: noSettings,
  credentials: apiTokenCredentials,
  labels: {
    settings: {},
    credentials: {
      apiToken: { label: "API token", help: "A token from the DNS Console (dns.hetzner.com → API tokens), not a Hetzner Cloud project token" },
    },
  },
  connect(_settings, credentials, options = {}) {
    const baseUrl = options.baseUrl ?? API_BASE_URL;

    async function request<T>(record: TxtRecord, method: string, path: string, body?: object): Promise<T | undefined> {
      const { status, text } = await requestProvider("Hetzner's DNS API", baseUrl + path, {
        method,
        headers: { "auth-api-token": credentials.apiToken, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (status >= 200 && status <= 299) {
        try {
          return text ? (JSON.parse(text) as T) : undefined;
        } catch {
          throw new DnsProviderFailure(
            "Hetzner's DNS API gave an answer that is not JSON: is something between this server and Hetzner?",
            text.slice(0, 200),
          );
        }
      }
      // Hetzner answers "zone not found" to a lookup by name, and 404 to a record removed in the meantime.
      if (status === 404 && path.startsWith("/zones")) throw zoneMissing(record, errorText(text));
      if (status === 404 && method === "DELETE") return undefined;
      throw refusal(record, status, errorText(text));
    }

    async function zoneId(record: TxtRecord): Promise<string> {
      const answer = await request<{ zones?: { id: string; name: string }[] | null }>(
        record,
        "GET",
        `/zones?${new URLSearchParams({ name: record.zone })}`,
      );
      const zone = answer?.zones?.find((found) => found.name.toLowerCase() === record.zone.toLowerCase());
      if (!zone) throw zoneMissing(record);
      return zone.id;
    }

    return {
      async createTxt(record) {
        const zone = await zoneId(record);
        await request(record, "POST", "/records", {
          zone_id: zone,
          type: "TXT",
          name: relativeName(record.fqdn, record.zone) || "@",
          value: record.value,
          ttl: TTL_SECONDS,
        });
      },
      async deleteTxt(record) {
        const zone = await zoneId(record);
        const name = relativeName(record.fqdn, record.zone) || "@";
        // Hetzner filters records by zone only: the name and value are matched here.
        const answer = await request<{ records?: HetznerRecord[] | null }>(record, "GET", `/records?${new URLSearchParams({ zone_id: zone })}`);
        for (const found of answer?.records ?? []) {
          if (found.type === "TXT" && found.name.toLowerCase() === name && unquote(found.value) === record.value) {
            await request(record, "DELETE", `/records/${encodeURIComponent(found.id)}`);
          }
        }
      },
    };
  },
});

/** TXT values may come back in the quotes of zone-file syntax. */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** Hetzner words errors as {"message": …} or {"error": {"message": …, "code": …}}. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; error?: { message?: string } };
    return parsed.error?.message || parsed.message || body;
  } catch {
    return body;
  }
}

function zoneMissing(record: TxtRecord, detail?: string): DnsProviderFailure {
  return new DnsProviderFailure(
    `Hetzner DNS has no zone ${record.zone} in this account: add it in the DNS Console, or use a token of the account that holds it`,
    detail,
  );
}

function refusal(record: TxtRecord, status: number, detail: string): DnsProviderFailure {
  if (status === 401) {
    return new DnsProviderFailure(
      "Hetzner DNS did not accept the API token: check that it was pasted whole, has not been deleted, and comes from the DNS Console",
      detail,
    );
  }
  if (status === 403) {
    return new DnsProviderFailure(`Hetzner DNS refused the API token for the zone ${record.zone}: use a token of the account that holds it`, detail);
  }
  if (status === 429) {
    return new DnsProviderFailure("Hetzner DNS is limiting how fast this token may make requests: try again in a few minutes", detail);
  }
  if (status >= 500) {
    return new DnsProviderFailure(`Hetzner's DNS API failed (HTTP ${status}): this is on Hetzner's side, try again in a few minutes`, detail);
  }
  return new DnsProviderFailure(`Hetzner DNS rejected the change to ${record.fqdn} (HTTP ${status})`, detail);
}
