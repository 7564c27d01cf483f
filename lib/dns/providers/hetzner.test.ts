import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { hetzner } from "./hetzner";

const TOKEN = "hetzner-token";
const ZONE_ID = "zoneAbc";
const base = { fqdn: "_acme-challenge.example.com", zone: "example.com" };

interface HRecord {
  id: string;
  zone_id: string;
  type: string;
  name: string;
  value: string;
  ttl: number;
}

const hError = (status: number, message: string): ApiAnswer => ({ status, body: { error: { message, code: status } } });

/** Hetzner's DNS API with one zone, example.com, and its records in memory. */
function fakeHetzner(records: HRecord[] = []) {
  let nextId = 1;
  const answer = (request: RecordedRequest): ApiAnswer => {
    if (request.headers["auth-api-token"] !== TOKEN) return { status: 401, body: { message: "Invalid authentication credentials" } };
    if (request.method === "GET" && request.path === "/zones") {
      // Hetzner answers an unknown name with 404, not an empty list.
      if (request.query.get("name") !== "example.com") return { status: 404, body: { zones: null, error: { message: "zone not found", code: 404 } } };
      return {
        body: { zones: [{ id: ZONE_ID, name: "example.com", ttl: 86400 }], meta: { pagination: { page: 1, per_page: 100, total_entries: 1 } } },
      };
    }
    if (request.method === "GET" && request.path === "/records") {
      const zone = request.query.get("zone_id");
      return { body: { records: records.filter((r) => r.zone_id === zone) } };
    }
    if (request.method === "POST" && request.path === "/records") {
      const created = { ...(JSON.parse(request.body) as Omit<HRecord, "id">), id: `r${nextId++}` };
      records.push(created);
      return { body: { record: created } };
    }
    if (request.method === "DELETE" && request.path.startsWith("/records/")) {
      const index = records.findIndex((r) => r.id === request.path.slice("/records/".length));
      if (index < 0) return hError(404, "record not found");
      records.splice(index, 1);
      return { body: "" };
    }
    return hError(404, "not found");
  };
  return { records, answer };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connectTo(answer: (request: RecordedRequest) => ApiAnswer, apiToken = TOKEN) {
  server = await startApiServer(answer);
  return hetzner.connect({}, { apiToken }, { baseUrl: server.url });
}

describe("hetzner", () => {
  it("finds the zone by name and creates a TXT record at the relative name, with the Auth-API-Token header", async () => {
    const fake = fakeHetzner();
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });

    const [zones, create] = server!.requests;
    expect(zones).toMatchObject({ method: "GET", path: "/zones" });
    expect(zones!.query.get("name")).toBe("example.com");
    expect(create).toMatchObject({ method: "POST", path: "/records" });
    expect(JSON.parse(create!.body)).toEqual({ zone_id: ZONE_ID, type: "TXT", name: "_acme-challenge", value: "value-A", ttl: 60 });
    for (const request of server!.requests) {
      expect(request.headers["auth-api-token"]).toBe(TOKEN);
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  it("deleting one of two values at a name leaves the other, and other names alone", async () => {
    const fake = fakeHetzner([
      { id: "www", zone_id: ZONE_ID, type: "TXT", name: "_acme-challenge.www", value: "value-A", ttl: 60 },
      { id: "quoted", zone_id: ZONE_ID, type: "TXT", name: "_acme-challenge", value: '"value-A"', ttl: 60 },
    ]);
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });
    await client.createTxt({ ...base, value: "value-B" });
    await client.deleteTxt({ ...base, value: "value-A" });

    expect(fake.records.map((r) => r.id)).toEqual(["www", "r2"]);
    const list = server!.requests.find((r) => r.path === "/records" && r.method === "GET")!;
    expect(list.query.get("zone_id")).toBe(ZONE_ID);
    expect(server!.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual(["/records/quoted", "/records/r1"]);
  });

  it("deleting a value that is already gone is not an error, even when it goes in the meantime", async () => {
    const fake = fakeHetzner([{ id: "b", zone_id: ZONE_ID, type: "TXT", name: "_acme-challenge", value: "value-B", ttl: 60 }]);
    const client = await connectTo(fake.answer);
    await client.deleteTxt({ ...base, value: "value-A" });
    expect(server!.requests.some((r) => r.method === "DELETE")).toBe(false);
    await server!.close();

    const racing = fakeHetzner([{ id: "a", zone_id: ZONE_ID, type: "TXT", name: "_acme-challenge", value: "value-A", ttl: 60 }]);
    const client2 = await connectTo((request) => (request.method === "DELETE" ? hError(404, "record not found") : racing.answer(request)));
    await client2.deleteTxt({ ...base, value: "value-A" });
    expect(server!.requests.map((r) => r.method)).toEqual(["GET", "GET", "DELETE"]);
  });

  it("says the zone is not in the account", async () => {
    const client = await connectTo(fakeHetzner().answer);
    const thrown = await failureOf(client.createTxt({ fqdn: "_acme-challenge.other.org", zone: "other.org", value: "v" }));
    expect(thrown.message).toBe(
      "Hetzner DNS has no zone other.org in this account: add it in the DNS Console, or use a token of the account that holds it",
    );
    expect(thrown.detail).toBe("zone not found");
  });

  it("explains 401, 403, 429 and 5xx in plain words, with Hetzner's own words as detail", async () => {
    const unknownToken = await connectTo(fakeHetzner().answer, "wrong");
    const thrown401 = await failureOf(unknownToken.createTxt({ ...base, value: "v" }));
    expect(thrown401.message).toBe(
      "Hetzner DNS did not accept the API token: check that it was pasted whole, has not been deleted, and comes from the DNS Console",
    );
    expect(thrown401.detail).toBe("Invalid authentication credentials");
    await server!.close();

    const cases: [ApiAnswer, string][] = [
      [hError(403, "forbidden"), "Hetzner DNS refused the API token for the zone example.com"],
      [hError(429, "rate limit exceeded"), "Hetzner DNS is limiting how fast this token may make requests"],
      [{ status: 502, body: "<html>Bad Gateway</html>" }, "Hetzner's DNS API failed (HTTP 502)"],
    ];
    for (const [answer, message] of cases) {
      const fake = fakeHetzner();
      const client = await connectTo((request) => (request.method === "POST" ? answer : fake.answer(request)));
      const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
      expect(thrown.message).toContain(message);
      expect(thrown.detail).toBe(typeof answer.body === "string" ? answer.body : (answer.body as { error: { message: string } }).error.message);
      await server!.close();
      server = undefined;
    }
  });

  it("says when an answer is not Hetzner's JSON", async () => {
    const client = await connectTo(() => ({ body: "<html>Sign in to the Wi-Fi</html>" }));
    const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
    expect(thrown.message).toBe("Hetzner's DNS API gave an answer that is not JSON: is something between this server and Hetzner?");
    expect(thrown.detail).toBe("<html>Sign in to the Wi-Fi</html>");
  });

  it("says when Hetzner cannot be reached", async () => {
    server = await startApiServer(() => ({}));
    const url = server.url;
    await server.close();
    server = undefined;
    const client = hetzner.connect({}, { apiToken: TOKEN }, { baseUrl: url });
    const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
    expect(thrown.message).toMatch(/^Could not reach Hetzner's DNS API \(.*ECONNREFUSED/);
  });

  it("asks for a token in plain words", () => {
    expect(hetzner.credentials.safeParse({}).success).toBe(false);
    expect(hetzner.credentials.safeParse({ apiToken: " " }).error?.issues[0]?.message).toBe("Paste the API token");
  });
});
