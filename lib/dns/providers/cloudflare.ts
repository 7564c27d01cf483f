import { DnsProviderFailure, defineDnsProvider, type TxtRecord, apiTokenCredentials, noSettings } from "../dns-provider";
import { DNS_REQUEST_TIMEOUT_MS } from "../provider-request";

const API_BASE_URL = "https://api.cloudflare.com/client/v4";
const TTL_SECONDS = 60;
/** Cloudflare's answer to a create when the same name, type and value exist already. */
const IDENTICAL_RECORD_EXISTS = 81058;

type CloudflareSdk = typeof import("cloudflare");

export const cloudflare = defineDnsProvider({
  type: "cloudflare",
  label: "Cloudflare",
  settings: noSettings,
  credentials: apiTokenCredentials,
  labels: {
    settings: {},
    credentials: {
      apiToken: { label: "API token", help: "A token with Zone.DNS edit permission on the domain's zone" },
    },
  },
  connect(_settings, credentials, options = {}) {
    // The SDK is large: load it on the first request, not when the dashboard starts.
    let client: Promise<{ sdk: CloudflareSdk; api: InstanceType<CloudflareSdk["default"]> }> | undefined;
    const connected = () =>
      (client ??= import("cloudflare").then((sdk) => ({
        sdk,
        api: new sdk.default({
          apiToken: credentials.apiToken,
          // Explicitly none, so CLOUDFLARE_* variables in the environment cannot add other credentials.
          apiKey: null,
          apiEmail: null,
          userServiceKey: null,
          baseURL: options.baseUrl ?? API_BASE_URL,
          timeout: DNS_REQUEST_TIMEOUT_MS,
          // One attempt per request keeps the timeout the whole wait; the order retries on its own.
          maxRetries: 0,
        }),
      })));

    async function zoneId(record: TxtRecord): Promise<string> {
      const { api } = await connected();
      for await (const zone of api.zones.list({ name: record.zone })) return zone.id;
      throw new DnsProviderFailure(
        `Cloudflare has no zone ${record.zone} in this account: add the domain to Cloudflare, or use a token for the account that holds it`,
      );
    }

    // Content filters are case-insensitive and ACME values are not: filter by name, compare here.
    async function recordIds(zone: string, record: TxtRecord): Promise<string[]> {
      const { api } = await connected();
      const ids: string[] = [];
      for await (const found of api.dns.records.list({ zone_id: zone, type: "TXT", name: { exact: record.fqdn }, per_page: 100 })) {
        if (unquote(found.content ?? "") === record.value) ids.push(found.id);
      }
      return ids;
    }

    async function explained<T>(record: TxtRecord, work: () => Promise<T>): Promise<T> {
      try {
        return await work();
      } catch (error) {
        throw explain(error, record, (await connected()).sdk);
      }
    }

    return {
      createTxt: (record) =>
        explained(record, async () => {
          const { api, sdk } = await connected();
          const zone = await zoneId(record);
          try {
            await api.dns.records.create({ zone_id: zone, type: "TXT", name: record.fqdn, content: record.value, ttl: TTL_SECONDS });
          } catch (error) {
            // Already there (a retried order): the value is present, which is all a create promises.
            if (error instanceof sdk.APIError && error.errors.some((e) => e.code === IDENTICAL_RECORD_EXISTS)) return;
            throw error;
          }
        }),
      deleteTxt: (record) =>
        explained(record, async () => {
          const { api, sdk } = await connected();
          const zone = await zoneId(record);
          for (const id of await recordIds(zone, record)) {
            try {
              await api.dns.records.delete(id, { zone_id: zone });
            } catch (error) {
              // Gone in the meantime: that is what a delete wants.
              if (!(error instanceof sdk.NotFoundError)) throw error;
            }
          }
        }),
    };
  },
});

/** Cloudflare may hand back TXT content in the quotes of zone-file syntax. */
function unquote(content: string): string {
  return content.length >= 2 && content.startsWith('"') && content.endsWith('"') ? content.slice(1, -1) : content;
}

function explain(error: unknown, record: TxtRecord, sdk: CloudflareSdk): unknown {
  if (error instanceof DnsProviderFailure) return error;
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new DnsProviderFailure(`Cloudflare's API did not answer within ${DNS_REQUEST_TIMEOUT_MS / 1000} seconds: try again later`, error.message);
  }
  if (error instanceof sdk.APIConnectionError) {
    const cause = error.cause instanceof Error ? (error.cause.cause ?? error.cause) : undefined;
    const reason = cause instanceof Error ? cause.message : error.message;
    return new DnsProviderFailure(`Could not reach Cloudflare's API (${reason}): check this server's internet connection and DNS`, reason);
  }
  if (!(error instanceof sdk.APIError)) return error;
  const detail = error.errors.length > 0 ? error.errors.map((e) => `${e.code}: ${e.message}`).join("; ") : error.message;
  const status = error.status ?? 0;
  if (status === 401) {
    return new DnsProviderFailure("Cloudflare did not accept the API token: check that it was pasted whole and has not been revoked", detail);
  }
  if (status === 403) {
    return new DnsProviderFailure(`Cloudflare refused the API token: it lacks Zone.DNS edit permission on ${record.zone}`, detail);
  }
  if (status === 429) {
    return new DnsProviderFailure("Cloudflare is limiting how fast this token may make requests: try again in a few minutes", detail);
  }
  if (status >= 500) {
    return new DnsProviderFailure(`Cloudflare's API failed (HTTP ${status}): this is on Cloudflare's side, try again in a few minutes`, detail);
  }
  return new DnsProviderFailure(`Cloudflare rejected the change to ${record.fqdn} (HTTP ${status})`, detail);
}
