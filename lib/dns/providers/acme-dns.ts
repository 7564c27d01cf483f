import { z } from "zod";
import { DnsProviderFailure, defineDnsProvider } from "../dns-provider";
import { detailOf, parseJson, requestProvider } from "../provider-request";

function acmeDnsFailure(status: number, text: string, serverUrl: string): DnsProviderFailure {
  const detail = detailOf(text);
  const error = (parseJson(text) as { error?: string } | undefined)?.error;
  // acme-dns answers 401 "forbidden" alike for a wrong user or key, a subdomain of another user,
  // and an address outside the account's allowfrom list.
  if (status === 401 || status === 403) {
    return new DnsProviderFailure(
      "acme-dns refused the credentials: check that the username, password and subdomain are exactly as /register returned them, and that the account's allowfrom list (if any) includes this server's address",
      detail,
    );
  }
  if (error === "bad_subdomain") {
    return new DnsProviderFailure("acme-dns did not accept the subdomain: paste it exactly as /register returned it", detail);
  }
  if (status === 400) return new DnsProviderFailure("acme-dns refused the TXT value (its reason is below)", detail);
  if (status === 404) {
    return new DnsProviderFailure(`${serverUrl} does not look like an acme-dns server (no /update there): check the server address`, detail);
  }
  if (status >= 500) return new DnsProviderFailure(`The acme-dns server failed (HTTP ${status}): try again later, or look at its logs`, detail);
  return new DnsProviderFailure(`The acme-dns server gave an unexpected answer (HTTP ${status})`, detail);
}

export const acmeDns = defineDnsProvider({
  type: "acme-dns",
  label: "acme-dns",
  settings: z.object({
    serverUrl: z
      .string()
      .trim()
      .min(1, "Enter the acme-dns server's address")
      .pipe(z.url({ protocol: /^https?$/, error: "Enter the acme-dns server as an http:// or https:// address, e.g. https://auth.example.org" }))
      .transform((url) => url.replace(/\/+$/, "")),
  }),
  credentials: z.object({
    username: z.string().trim().min(1, "Paste the username that /register returned"),
    password: z.string().trim().min(1, "Paste the password that /register returned"),
    subdomain: z.string().trim().min(1, "Paste the subdomain that /register returned"),
  }),
  labels: {
    settings: {
      serverUrl: {
        label: "acme-dns server",
        help: "The address of its HTTP API, where /register and /update are.",
        placeholder: "https://auth.example.org",
      },
    },
    credentials: {
      username: { label: "Username", help: "From the server's answer to POST /register." },
      password: { label: "Password", help: "From the same answer; acme-dns cannot show it again." },
      subdomain: {
        label: "Subdomain",
        help:
          "From the same answer. Then, at your own DNS host, create a CNAME record from _acme-challenge.<your domain> to the answer's fulldomain " +
          "(<subdomain>.<the acme-dns server's domain>): the certificate authority follows it to the value acme-dns serves. " +
          "Every domain on the certificate needs that CNAME.",
      },
    },
  },
  // The record's name is not sent: the user's CNAME delegates it to this account's subdomain.
  connect({ serverUrl }, { username, password, subdomain }) {
    return {
      async createTxt(record) {
        const answer = await requestProvider(`the acme-dns server at ${serverUrl}`, `${serverUrl}/update`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-user": username, "x-api-key": password },
          body: JSON.stringify({ subdomain, txt: record.value }),
        });
        if (answer.status !== 200) throw acmeDnsFailure(answer.status, answer.text, serverUrl);
      },
      // acme-dns keeps the last two values and drops the older on each update: nothing to delete.
      async deleteTxt() {},
    };
  },
});
