import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { acmeDns } from "./acme-dns";

const ACCOUNT = {
  username: "eabcdb41-d89f-4580-826f-3e62e9755ef2",
  password: "pbAXVjlIOE01xbut7YnAbkhMQIkcwoHO0ek2j4Q0",
  subdomain: "d420c923-bbd7-4056-ab64-c3ca54c9b3cf",
};
const A = "A".repeat(43);
const B = "B".repeat(43);
const C = "C".repeat(43);
const record = (value: string) => ({ fqdn: "_acme-challenge.example.com", zone: "example.com", value });

/** acme-dns's /update as its source has it: 401 "forbidden" for any auth mismatch, the last two values kept. */
function acmeDnsApi() {
  const txt: string[] = [];
  const answer = (request: RecordedRequest): ApiAnswer => {
    if (request.method !== "POST" || !request.path.endsWith("/update")) return { status: 404, body: "404 page not found" };
    const body = JSON.parse(request.body || "{}");
    const authorized =
      request.headers["x-api-user"] === ACCOUNT.username && request.headers["x-api-key"] === ACCOUNT.password && body.subdomain === ACCOUNT.subdomain;
    if (!authorized) return { status: 401, body: { error: "forbidden" } };
    if (typeof body.txt !== "string" || body.txt.length !== 43) return { status: 400, body: { error: "bad_txt" } };
    txt.push(body.txt);
    if (txt.length > 2) txt.shift();
    return { body: { txt: body.txt } };
  };
  return { answer, txt };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(answer: (request: RecordedRequest) => ApiAnswer, credentials = ACCOUNT, path = "") {
  server = await startApiServer(answer);
  return acmeDns.connect(acmeDns.settings.parse({ serverUrl: server.url + path }), credentials);
}

describe("acme-dns", () => {
  it("takes only an http(s) address for the server, without its trailing slash", () => {
    const message = (serverUrl: string) => acmeDns.settings.safeParse({ serverUrl }).error?.issues[0]?.message;
    expect(message(" ")).toBe("Enter the acme-dns server's address");
    for (const wrong of ["auth.example.org", "ftp://auth.example.org", "javascript:alert(1)"]) {
      expect(message(wrong)).toBe("Enter the acme-dns server as an http:// or https:// address, e.g. https://auth.example.org");
    }
    expect(acmeDns.settings.parse({ serverUrl: " https://auth.example.org/ " })).toEqual({ serverUrl: "https://auth.example.org" });
    expect(acmeDns.settings.parse({ serverUrl: "http://10.0.0.5:8080/acme-dns/" })).toEqual({ serverUrl: "http://10.0.0.5:8080/acme-dns" });
    expect(acmeDns.credentials.safeParse({ ...ACCOUNT, password: "" }).error?.issues[0]?.message).toBe("Paste the password that /register returned");
  });

  it("explains the CNAME to create", () => {
    expect(acmeDns.labels.credentials.subdomain.help).toContain("CNAME record from _acme-challenge.<your domain>");
  });

  it("posts the value to /update with the account's headers, and not the record's name", async () => {
    const api = acmeDnsApi();
    const client = await connect(api.answer);
    await client.createTxt(record(A));

    expect(server!.requests).toHaveLength(1);
    const request = server!.requests[0]!;
    expect([request.method, request.path]).toEqual(["POST", "/update"]);
    expect(request.headers["x-api-user"]).toBe(ACCOUNT.username);
    expect(request.headers["x-api-key"]).toBe(ACCOUNT.password);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({ subdomain: ACCOUNT.subdomain, txt: A });
    expect(api.txt).toEqual([A]);
  });

  it("holds a wildcard's and its base name's values at once, and deleting asks nothing of the server", async () => {
    const api = acmeDnsApi();
    const client = await connect(api.answer, ACCOUNT, "/acme-dns/");
    await client.createTxt(record(A));
    await client.createTxt(record(B));
    expect(api.txt).toEqual([A, B]);
    expect(server!.requests.map((r) => r.path)).toEqual(["/acme-dns/update", "/acme-dns/update"]);

    await client.deleteTxt(record(A));
    expect(server!.requests).toHaveLength(2);
    await client.createTxt(record(C));
    expect(api.txt).toEqual([B, C]);
  });

  it("says the credentials were refused", async () => {
    const client = await connect(acmeDnsApi().answer, { ...ACCOUNT, password: "wrong" });
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toMatch(
      /^acme-dns refused the credentials: check that the username, password and subdomain are exactly as \/register returned them/,
    );
    expect(failure.detail).toBe('{"error":"forbidden"}');
  });

  it("says the TXT value was refused, with acme-dns's reason", async () => {
    const client = await connect(acmeDnsApi().answer);
    const failure = await failureOf(client.createTxt(record("too-short")));
    expect(failure.message).toBe("acme-dns refused the TXT value (its reason is below)");
    expect(failure.detail).toBe('{"error":"bad_txt"}');
  });

  it("says the address is not an acme-dns server on a 404", async () => {
    const client = await connect(() => ({ status: 404, body: "404 page not found" }));
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe(`${server!.url} does not look like an acme-dns server (no /update there): check the server address`);
  });

  it("says the server failed on a 5xx", async () => {
    const client = await connect(() => ({ status: 500, body: { error: "db_error" } }));
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe("The acme-dns server failed (HTTP 500): try again later, or look at its logs");
    expect(failure.detail).toBe('{"error":"db_error"}');
  });

  it("says the server could not be reached, naming it", async () => {
    const client = await connect(acmeDnsApi().answer);
    await server!.close();
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toMatch(new RegExp(`^Could not reach the acme-dns server at ${server!.url} \\(ECONNREFUSED\\)`));
  });
});
