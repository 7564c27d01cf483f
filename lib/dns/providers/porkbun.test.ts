import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { porkbun } from "./porkbun";

const KEYS = { apiKey: "pk1_key", secretApiKey: "sk1_secret" };
const A = "A".repeat(43);
const B = "B".repeat(43);
const record = (value: string) => ({ fqdn: "_acme-challenge.example.com", zone: "example.com", value });

interface StoredRecord {
  id: string;
  name: string;
  type: string;
  content: string;
  ttl: string;
}

/** Porkbun's API v3 as documented: POST only, keys in the body, records named by their full name. */
function porkbunApi(domains: Record<string, StoredRecord[]> = { "example.com": [] }) {
  let nextId = 106926650;
  const answer = (request: RecordedRequest): ApiAnswer => {
    const body = JSON.parse(request.body || "{}");
    if (request.method !== "POST") return { status: 405, body: { status: "ERROR", message: "Method not allowed." } };
    if (body.apikey !== KEYS.apiKey || body.secretapikey !== KEYS.secretApiKey) {
      return { status: 400, body: { status: "ERROR", message: "Invalid API key. (002)" } };
    }
    const [, section, action, domain = "", ...rest] = request.path.split("/");
    const records = domains[domain];
    if (section !== "dns" || !records) return { status: 400, body: { status: "ERROR", message: "Invalid domain." } };
    const fullName = (subdomain: string) => (subdomain ? `${subdomain}.${domain}` : domain);
    if (action === "create") {
      const id = String(nextId++);
      records.push({ id, name: fullName(body.name ?? ""), type: body.type, content: body.content, ttl: body.ttl });
      return { body: { status: "SUCCESS", id } };
    }
    if (action === "retrieveByNameType") {
      const [type, subdomain = ""] = rest;
      const found = records.filter((r) => r.type === type && r.name === fullName(subdomain));
      return { body: { status: "SUCCESS", records: found.map((r) => ({ ...r, prio: "0", notes: "" })) } };
    }
    if (action === "delete") {
      const index = records.findIndex((r) => r.id === rest[0]);
      if (index < 0) return { status: 400, body: { status: "ERROR", message: "Invalid record ID." } };
      records.splice(index, 1);
      return { body: { status: "SUCCESS" } };
    }
    return { status: 404, body: { status: "ERROR", message: "Unknown command." } };
  };
  return { answer, domains };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(answer: (request: RecordedRequest) => ApiAnswer, keys = KEYS) {
  server = await startApiServer(answer);
  return porkbun.connect({}, keys, { baseUrl: server.url });
}

describe("porkbun", () => {
  it("validates the keys with plain messages", () => {
    expect(porkbun.credentials.safeParse({ apiKey: " ", secretApiKey: "sk1" }).error?.issues[0]?.message).toBe("Paste the API key");
    expect(porkbun.credentials.parse({ apiKey: " pk1_key ", secretApiKey: "sk1_secret" })).toEqual(KEYS);
  });

  it("creates a TXT value with the keys in the JSON body, after checking it is not there yet", async () => {
    const api = porkbunApi();
    const client = await connect(api.answer);
    await client.createTxt(record(A));

    expect(server!.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /dns/retrieveByNameType/example.com/TXT/_acme-challenge",
      "POST /dns/create/example.com",
    ]);
    const create = server!.requests[1]!;
    expect(create.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(create.body)).toEqual({
      apikey: "pk1_key",
      secretapikey: "sk1_secret",
      name: "_acme-challenge",
      type: "TXT",
      content: A,
      ttl: "600",
    });
    expect(JSON.parse(server!.requests[0]!.body)).toEqual({ apikey: "pk1_key", secretapikey: "sk1_secret" });
    expect(api.domains["example.com"]!.map((r) => [r.name, r.content])).toEqual([["_acme-challenge.example.com", A]]);
  });

  it("keeps two values at one name, deletes only the given one, and takes a second delete quietly", async () => {
    const api = porkbunApi();
    const client = await connect(api.answer);
    await client.createTxt(record(A));
    await client.createTxt(record(B));
    await client.createTxt(record(B));
    expect(api.domains["example.com"]!.map((r) => r.content)).toEqual([A, B]);

    const [idA] = api.domains["example.com"]!.map((r) => r.id);
    server!.requests.length = 0;
    await client.deleteTxt(record(A));
    expect(server!.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /dns/retrieveByNameType/example.com/TXT/_acme-challenge",
      `POST /dns/delete/example.com/${idA}`,
    ]);
    expect(api.domains["example.com"]!.map((r) => r.content)).toEqual([B]);

    await client.deleteTxt(record(A));
    expect(server!.requests).toHaveLength(3);
    expect(api.domains["example.com"]!.map((r) => r.content)).toEqual([B]);
  });

  it("leaves other names and types alone", async () => {
    const api = porkbunApi({
      "example.com": [
        { id: "1", name: "example.com", type: "TXT", content: A, ttl: "600" },
        { id: "2", name: "_acme-challenge.example.com", type: "CNAME", content: A, ttl: "600" },
      ],
    });
    const client = await connect(api.answer);
    await client.deleteTxt(record(A));
    expect(api.domains["example.com"]).toHaveLength(2);
  });

  it("asks for the apex without a subdomain segment", async () => {
    const client = await connect(porkbunApi().answer);
    await client.createTxt({ fqdn: "example.com", zone: "example.com", value: A });
    expect(server!.requests[0]!.path).toBe("/dns/retrieveByNameType/example.com/TXT");
    expect(JSON.parse(server!.requests[1]!.body).name).toBe("");
  });

  it("says the keys were refused", async () => {
    const client = await connect(porkbunApi().answer, { apiKey: "pk1_key", secretApiKey: "wrong" });
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe(
      "Porkbun refused the API keys: check both keys, and that API access is turned on for example.com in Porkbun's domain settings",
    );
    expect(failure.detail).toBe("Invalid API key. (002)");
  });

  it("says the domain is not in the account", async () => {
    const client = await connect(porkbunApi().answer);
    const failure = await failureOf(client.createTxt({ fqdn: "_acme-challenge.example.net", zone: "example.net", value: A }));
    expect(failure.message).toBe(
      "Porkbun does not manage example.net for this account: check that the domain is in the Porkbun account the keys belong to",
    );
    expect(failure.detail).toBe("Invalid domain.");
  });

  it("says API access is off for the domain", async () => {
    const client = await connect(() => ({ status: 400, body: { status: "ERROR", message: "Domain is not opted in to API access." } }));
    const failure = await failureOf(client.deleteTxt(record(A)));
    expect(failure.message).toBe(`Porkbun has API access turned off for example.com: turn on "API Access" for it in Porkbun's domain management`);
  });

  it("says Porkbun's API failed on a 5xx, with its page as detail", async () => {
    const client = await connect(() => ({ status: 503, body: "<html>Service Unavailable</html>" }));
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe("Porkbun's API failed (HTTP 503): try again later");
    expect(failure.detail).toBe("<html>Service Unavailable</html>");
  });

  it("says Porkbun could not be reached", async () => {
    const client = await connect(porkbunApi().answer);
    await server!.close();
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toMatch(/^Could not reach Porkbun's API \(ECONNREFUSED\)/);
  });
});
