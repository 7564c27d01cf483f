import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { duckdns } from "./duckdns";

const TOKEN = "a7c4d0ad-114e-40ef-ba1d-d217904a50f2";
const A = "A".repeat(43);
const B = "B".repeat(43);
const record = (value: string) => ({ fqdn: "_acme-challenge.myhost.duckdns.org", zone: "myhost.duckdns.org", value });

/** DuckDNS's update URL as documented: one TXT value per subdomain, "OK"/"KO" as plain text. */
function duckdnsApi() {
  const subdomains: Record<string, { token: string; txt: string }> = {
    myhost: { token: TOKEN, txt: "" },
    theirs: { token: "someone-else", txt: "" },
  };
  const answer = (request: RecordedRequest): ApiAnswer => {
    const { query } = request;
    const entry = subdomains[query.get("domains") ?? ""];
    if (request.path !== "/update" || !entry || entry.token !== query.get("token")) return { body: "KO" };
    const txt = query.get("clear") === "true" ? "" : (query.get("txt") ?? "");
    const changed = entry.txt !== txt;
    entry.txt = txt;
    return { body: query.get("verbose") === "true" ? `OK\n${txt}\n${changed ? "UPDATED" : "NOCHANGE"}` : "OK" };
  };
  return { answer, subdomains };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(answer: (request: RecordedRequest) => ApiAnswer, token = TOKEN) {
  server = await startApiServer(answer);
  return duckdns.connect({}, { token }, { baseUrl: server.url });
}

describe("duckdns", () => {
  it("keeps one value per name, which the order has to know", () => {
    expect(duckdns.oneValuePerName).toBe(true);
    expect(duckdns.credentials.safeParse({ token: " " }).error?.issues[0]?.message).toBe("Paste the DuckDNS token");
  });

  it("sets the subdomain's TXT value with a GET to /update", async () => {
    const api = duckdnsApi();
    const client = await connect(api.answer);
    await client.createTxt(record(A));

    expect(server!.requests).toHaveLength(1);
    const { method, path, query } = server!.requests[0]!;
    expect([method, path]).toEqual(["GET", "/update"]);
    expect(Object.fromEntries(query)).toEqual({ domains: "myhost", token: TOKEN, txt: A, verbose: "true" });
    expect(api.subdomains.myhost!.txt).toBe(A);
  });

  it("clears the value to delete it", async () => {
    const api = duckdnsApi();
    const client = await connect(api.answer);
    await client.createTxt(record(B));
    await client.deleteTxt(record(B));
    expect(Object.fromEntries(server!.requests[1]!.query)).toEqual({ domains: "myhost", token: TOKEN, txt: B, verbose: "true", clear: "true" });
    expect(api.subdomains.myhost!.txt).toBe("");
    await client.deleteTxt(record(B));
  });

  it("sends the label right under duckdns.org, whatever the zone's depth or case", async () => {
    const client = await connect(duckdnsApi().answer);
    await client.createTxt({ fqdn: "_acme-challenge.www.MyHost.duckdns.org", zone: "www.MyHost.duckdns.org.", value: A });
    expect(server!.requests[0]!.query.get("domains")).toBe("myhost");
  });

  it("refuses a zone outside duckdns.org without asking DuckDNS", async () => {
    const client = await connect(duckdnsApi().answer);
    for (const zone of ["example.com", "duckdns.org", "myhostduckdns.org"]) {
      const failure = await failureOf(client.createTxt({ fqdn: `_acme-challenge.${zone}`, zone, value: A }));
      expect(failure.message).toBe(`${zone} is not a DuckDNS name: DuckDNS can only answer for names under duckdns.org`);
    }
    expect(server!.requests).toHaveLength(0);
  });

  it("reads a KO as a wrong token or another account's subdomain", async () => {
    const client = await connect(duckdnsApi().answer, "wrong-token");
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe(
      "DuckDNS refused to update myhost.duckdns.org: check the token (at the top of your account page on duckdns.org), and that myhost is a subdomain of that same account",
    );
    expect(failure.detail).toBe("KO");

    const other = await failureOf(client.deleteTxt({ fqdn: "_acme-challenge.theirs.duckdns.org", zone: "theirs.duckdns.org", value: A }));
    expect(other.message).toMatch(/^DuckDNS refused to update theirs.duckdns.org/);
  });

  it("says DuckDNS failed on a 5xx", async () => {
    const client = await connect(() => ({ status: 502, body: "<html>502 Bad Gateway</html>" }));
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe("DuckDNS failed (HTTP 502): try again later");
    expect(failure.detail).toBe("<html>502 Bad Gateway</html>");
  });

  it("says DuckDNS could not be reached, without the token in the message", async () => {
    const client = await connect(duckdnsApi().answer);
    await server!.close();
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toMatch(/^Could not reach DuckDNS \(ECONNREFUSED\)/);
    expect(`${failure.message} ${failure.detail}`).not.toContain(TOKEN);
  });
});
