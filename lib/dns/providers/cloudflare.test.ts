import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { cloudflare } from "./cloudflare";

const TOKEN = "cf-token-123";
const ZONE_ID = "zone-1";
const base = { fqdn: "_acme-challenge.example.com", zone: "example.com" };

interface CfRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  ttl: number;
}

/** Cloudflare's v4 API for one zone, example.com, with its records in memory. */
function fakeCloudflare(records: CfRecord[] = []) {
  let nextId = 1;
  const ok = (result: unknown, extra: object = {}): ApiAnswer => ({ body: { success: true, errors: [], messages: [], result, ...extra } });
  const answer = (request: RecordedRequest): ApiAnswer => {
    const page = Number(request.query.get("page") ?? "1");
    const list = (items: unknown[]) => ok(page === 1 ? items : [], { result_info: { page, per_page: 100, count: items.length } });
    if (request.method === "GET" && request.path === "/zones") {
      return list(request.query.get("name") === "example.com" ? [{ id: ZONE_ID, name: "example.com" }] : []);
    }
    const recordsPath = `/zones/${ZONE_ID}/dns_records`;
    if (request.method === "GET" && request.path === recordsPath) {
      const name = request.query.get("name.exact");
      const type = request.query.get("type");
      return list(records.filter((r) => (!name || r.name === name) && (!type || r.type === type)));
    }
    if (request.method === "POST" && request.path === recordsPath) {
      const body = JSON.parse(request.body) as Omit<CfRecord, "id">;
      if (records.some((r) => r.name === body.name && r.type === body.type && r.content === body.content)) {
        return {
          status: 400,
          body: { success: false, errors: [{ code: 81058, message: "An identical record already exists." }], messages: [], result: null },
        };
      }
      const created = { ...body, id: `rec-${nextId++}` };
      records.push(created);
      return ok(created);
    }
    if (request.method === "DELETE" && request.path.startsWith(recordsPath + "/")) {
      const id = request.path.slice(recordsPath.length + 1);
      const index = records.findIndex((r) => r.id === id);
      if (index < 0) return { status: 404, body: { success: false, errors: [{ code: 81044, message: "Record does not exist." }], result: null } };
      records.splice(index, 1);
      return ok({ id });
    }
    return { status: 404, body: { success: false, errors: [{ code: 7003, message: "Could not route" }], result: null } };
  };
  return { records, answer };
}

const error = (status: number, code: number, message: string): ApiAnswer => ({
  status,
  body: { success: false, errors: [{ code, message }], messages: [], result: null },
});

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connectTo(answer: (request: RecordedRequest) => ApiAnswer) {
  server = await startApiServer(answer);
  return cloudflare.connect({}, { apiToken: TOKEN }, { baseUrl: server.url });
}

describe("cloudflare", () => {
  it("finds the zone by name and creates a TXT record with the token as bearer", async () => {
    const fake = fakeCloudflare();
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });

    const [zones, create] = server!.requests;
    expect(zones).toMatchObject({ method: "GET", path: "/zones" });
    expect(zones!.query.get("name")).toBe("example.com");
    expect(create).toMatchObject({ method: "POST", path: `/zones/${ZONE_ID}/dns_records` });
    expect(JSON.parse(create!.body)).toEqual({ type: "TXT", name: "_acme-challenge.example.com", content: "value-A", ttl: 60 });
    for (const request of server!.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(fake.records).toMatchObject([{ name: "_acme-challenge.example.com", content: "value-A" }]);
  });

  it("adds a second value at the same name, and deleting one value leaves the other", async () => {
    const fake = fakeCloudflare();
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });
    await client.createTxt({ ...base, value: "value-B" });
    expect(fake.records.map((r) => r.content)).toEqual(["value-A", "value-B"]);

    await client.deleteTxt({ ...base, value: "value-A" });
    expect(fake.records.map((r) => r.content)).toEqual(["value-B"]);
    const deletes = server!.requests.filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => r.path)).toEqual([`/zones/${ZONE_ID}/dns_records/rec-1`]);
    const list = server!.requests.find((r) => r.method === "GET" && r.path.endsWith("/dns_records"));
    expect(list!.query.get("type")).toBe("TXT");
    expect(list!.query.get("name.exact")).toBe("_acme-challenge.example.com");
  });

  it("compares values exactly and accepts content in quotes", async () => {
    const fake = fakeCloudflare([
      { id: "upper", type: "TXT", name: base.fqdn, content: "VALUE-A", ttl: 60 },
      { id: "quoted", type: "TXT", name: base.fqdn, content: '"value-A"', ttl: 60 },
    ]);
    const client = await connectTo(fake.answer);
    await client.deleteTxt({ ...base, value: "value-A" });
    expect(fake.records.map((r) => r.id)).toEqual(["upper"]);
  });

  it("deleting a value that is already gone is not an error", async () => {
    const fake = fakeCloudflare([{ id: "other", type: "TXT", name: base.fqdn, content: "value-B", ttl: 60 }]);
    const client = await connectTo(fake.answer);
    await client.deleteTxt({ ...base, value: "value-A" });
    expect(server!.requests.some((r) => r.method === "DELETE")).toBe(false);
    expect(fake.records).toHaveLength(1);
  });

  it("a record removed between listing and deleting is not an error", async () => {
    const fake = fakeCloudflare([{ id: "gone", type: "TXT", name: base.fqdn, content: "value-A", ttl: 60 }]);
    const client = await connectTo((request) => (request.method === "DELETE" ? error(404, 81044, "Record does not exist.") : fake.answer(request)));
    await client.deleteTxt({ ...base, value: "value-A" });
    expect(server!.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([`/zones/${ZONE_ID}/dns_records/gone`]);
  });

  it("creating a value that is already there is not an error", async () => {
    const fake = fakeCloudflare([{ id: "same", type: "TXT", name: base.fqdn, content: "value-A", ttl: 60 }]);
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });
    expect(fake.records).toHaveLength(1);
  });

  it("says the zone is not in the account", async () => {
    const client = await connectTo(fakeCloudflare().answer);
    const thrown = await failureOf(client.createTxt({ fqdn: "_acme-challenge.other.org", zone: "other.org", value: "v" }));
    expect(thrown.message).toBe(
      "Cloudflare has no zone other.org in this account: add the domain to Cloudflare, or use a token for the account that holds it",
    );
  });

  it("explains 401, 403, 429 and 5xx in plain words, with Cloudflare's own words as detail", async () => {
    const cases: [ApiAnswer, string][] = [
      [error(401, 10000, "Authentication error"), "Cloudflare did not accept the API token: check that it was pasted whole and has not been revoked"],
      [error(403, 10000, "Authentication error"), "Cloudflare refused the API token: it lacks Zone.DNS edit permission on example.com"],
      [error(429, 971, "Please wait and consider throttling your request speed"), "Cloudflare is limiting how fast this token may make requests"],
      [error(502, 10001, "Bad gateway"), "Cloudflare's API failed (HTTP 502)"],
    ];
    for (const [answer, message] of cases) {
      const fake = fakeCloudflare();
      const client = await connectTo((request) => (request.method === "POST" ? answer : fake.answer(request)));
      const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
      expect(thrown.message).toContain(message);
      expect(thrown.detail).toBe(
        `${(answer.body as { errors: { code: number }[] }).errors[0]!.code}: ${(answer.body as { errors: { message: string }[] }).errors[0]!.message}`,
      );
      await server!.close();
      server = undefined;
    }
  });

  it("says when Cloudflare cannot be reached", async () => {
    server = await startApiServer(() => ({}));
    const url = server.url;
    await server.close();
    server = undefined;
    const client = cloudflare.connect({}, { apiToken: TOKEN }, { baseUrl: url });
    const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
    expect(thrown.message).toMatch(/^Could not reach Cloudflare's API \(.*ECONNREFUSED/);
  });

  it("asks for a token in plain words", () => {
    const parsed = cloudflare.credentials.safeParse({ apiToken: "  " });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe("Paste the API token");
    expect(cloudflare.credentials.parse({ apiToken: " t " })).toEqual({ apiToken: "t" });
  });
});
