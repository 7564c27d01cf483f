import { z } from "zod";
import { DnsProviderFailure, defineDnsProvider, type TxtRecord } from "../dns-provider";
import { detailOf, parseJson, requestProvider } from "../provider-request";
import { relativeName } from "../relative-name";

const API_URL = "https://api.porkbun.com/api/json/v3";
/** Porkbun's lowest TTL. */
const TTL_SECONDS = 600;

interface PorkbunAnswer {
  status?: string;
  message?: string;
  records?: { id: string | number; content: string }[];
}

/** Porkbun answers errors as `status: "ERROR"` with a `message`; only that message tells them apart. */
function porkbunFailure(httpStatus: number, message: string, zone: string): DnsProviderFailure {
  const detail = detailOf(message);
  if (/opted in|api access/i.test(message)) {
    return new DnsProviderFailure(
      `Porkbun has API access turned off for ${zone}: turn on "API Access" for it in Porkbun's domain management`,
      detail,
    );
  }
  if (/api key|apikey/i.test(message) || httpStatus === 401 || httpStatus === 403) {
    return new DnsProviderFailure(
      `Porkbun refused the API keys: check both keys, and that API access is turned on for ${zone} in Porkbun's domain settings`,
      detail,
    );
  }
  if (/domain/i.test(message)) {
    return new DnsProviderFailure(
      `Porkbun does not manage ${zone} for this account: check that the domain is in the Porkbun account the keys belong to`,
      detail,
    );
  }
  if (httpStatus === 429 || /rate limit|too many/i.test(message)) {
    return new DnsProviderFailure("Porkbun is limiting requests: wait a few minutes and try again", detail);
  }
  if (httpStatus >= 500) return new DnsProviderFailure(`Porkbun's API failed (HTTP ${httpStatus}): try again later`, detail);
  return new DnsProviderFailure(`Porkbun refused to change the TXT records of ${zone} (its reason is below)`, detail);
}

export const porkbun = defineDnsProvider({
  type: "porkbun",
  label: "Porkbun",
  settings: z.object({}),
  credentials: z.object({
    apiKey: z.string().trim().min(1, "Paste the API key"),
    secretApiKey: z.string().trim().min(1, "Paste the secret API key"),
  }),
  labels: {
    settings: {},
    credentials: {
      apiKey: {
        label: "API key",
        help: "Create a key pair at porkbun.com/account/api, then turn on API Access for the domain.",
        placeholder: "pk1_...",
      },
      secretApiKey: { label: "Secret API key", help: "Shown once, next to the API key, when the pair is created.", placeholder: "sk1_..." },
    },
  },
  connect(_settings, { apiKey, secretApiKey }, { baseUrl = API_URL } = {}) {
    async function call(path: string, zone: string, fields: Record<string, string> = {}): Promise<PorkbunAnswer> {
      const answer = await requestProvider("Porkbun's API", baseUrl + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apikey: apiKey, secretapikey: secretApiKey, ...fields }),
      });
      const json = parseJson(answer.text) as PorkbunAnswer | undefined;
      if (answer.status < 300 && json?.status === "SUCCESS") return json;
      throw porkbunFailure(answer.status, json?.message ?? answer.text, zone);
    }

    /** The ids of the records at the name holding exactly this value (Porkbun deletes by id). */
    async function idsOf(record: TxtRecord): Promise<string[]> {
      const subdomain = relativeName(record.fqdn, record.zone);
      // The apex has no subdomain segment: Porkbun's path is .../TXT/[SUBDOMAIN].
      const path = `/dns/retrieveByNameType/${encodeURIComponent(record.zone)}/TXT` + (subdomain ? `/${encodeURIComponent(subdomain)}` : "");
      const { records = [] } = await call(path, record.zone);
      return records.filter((r) => r.content.replace(/^"|"$/g, "") === record.value).map((r) => String(r.id));
    }

    return {
      async createTxt(record) {
        // A retried order must not leave the value twice, as Porkbun would store it again.
        if ((await idsOf(record)).length > 0) return;
        await call(`/dns/create/${encodeURIComponent(record.zone)}`, record.zone, {
          name: relativeName(record.fqdn, record.zone),
          type: "TXT",
          content: record.value,
          ttl: String(TTL_SECONDS),
        });
      },
      async deleteTxt(record) {
        for (const id of await idsOf(record)) {
          await call(`/dns/delete/${encodeURIComponent(record.zone)}/${encodeURIComponent(id)}`, record.zone);
        }
      },
    };
  },
});
