import { z } from "zod";
import { DnsProviderFailure, defineDnsProvider, type TxtRecord } from "../dns-provider";
import { detailOf, requestProvider } from "../provider-request";

const API_URL = "https://www.duckdns.org";
const DUCKDNS_SUFFIX = ".duckdns.org";

/** DuckDNS takes only the account's subdomain: "myhost" for the zone "myhost.duckdns.org". */
function duckSubdomain(zone: string): string {
  const name = zone.replace(/\.$/, "").toLowerCase();
  const subdomain = name.endsWith(DUCKDNS_SUFFIX) ? name.slice(0, -DUCKDNS_SUFFIX.length).split(".").pop() : undefined;
  if (!subdomain) throw new DnsProviderFailure(`${zone} is not a DuckDNS name: DuckDNS can only answer for names under duckdns.org`);
  return subdomain;
}

export const duckdns = defineDnsProvider({
  type: "duckdns",
  label: "DuckDNS",
  settings: z.object({}),
  credentials: z.object({
    token: z.string().trim().min(1, "Paste the DuckDNS token"),
  }),
  labels: {
    settings: {},
    credentials: {
      token: { label: "Token", help: "Shown at the top of your account page on duckdns.org.", placeholder: "a7c4d0ad-114e-40ef-ba1d-d217904a50f2" },
    },
  },
  // DuckDNS holds a single TXT value per subdomain, whatever name under it is asked.
  oneValuePerName: true,
  connect(_settings, { token }, { baseUrl = API_URL } = {}) {
    async function update(record: TxtRecord, clear: boolean): Promise<void> {
      const subdomain = duckSubdomain(record.zone);
      const query = new URLSearchParams({ domains: subdomain, token, txt: record.value, verbose: "true" });
      if (clear) query.set("clear", "true");
      const answer = await requestProvider("DuckDNS", `${baseUrl}/update?${query}`);
      // Verbose answers are "OK" or "KO" on the first line, then the value and UPDATED/NOCHANGE.
      const verdict = answer.text.trim().split("\n")[0]?.trim();
      if (answer.status === 200 && verdict === "OK") return;
      const detail = detailOf(answer.text);
      if (verdict === "KO") {
        throw new DnsProviderFailure(
          `DuckDNS refused to update ${subdomain}.duckdns.org: check the token (at the top of your account page on duckdns.org), and that ${subdomain} is a subdomain of that same account`,
          detail,
        );
      }
      if (answer.status >= 500) throw new DnsProviderFailure(`DuckDNS failed (HTTP ${answer.status}): try again later`, detail);
      throw new DnsProviderFailure(`DuckDNS gave an unexpected answer (HTTP ${answer.status}): try again later`, detail);
    }

    return {
      createTxt: (record) => update(record, false),
      // The subdomain holds only this order's value, so clearing it removes just that.
      deleteTxt: (record) => update(record, true),
    };
  },
});
