import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { digitalocean } from "./digitalocean";

const TOKEN = "dop_v1_token";
const base = { fqdn: "_acme-challenge.example.com", zone: "example.com" };
const RECORDS = "/v2/domains/example.com/records";

interface DoRecord {
  id: number;
  type: string;
  name: string;
  data: string;
  ttl: number;
}

const doError = (status: number, id: string, message: string): ApiAnswer => ({ status, body: { id, message } });

/** DigitalOcean's v2 domain records API for one domain, example.com, with its records in memory. */
function fakeDigitalOcean(records: DoRecord[] = []) {
  let nextId = 100;
  const answer = (request: RecordedRequest): ApiAnswer => {
    if (!request.path.startsWith(RECORDS)) return doError(404, "not_found", "The resource you were accessing could not be found.");
    if (request.method === "GET" && request.path === RECORDS) {
      const type = request.query.get("type");
      // As documented: the filter takes the full name, the records hold the name relative to the domain.
      const name = request.query.get("name");
      const listed = records.filter((r) => (!type || r.type === type) && (!name || `${r.name === "@" ? "" : r.name + "."}example.com` === name));
      return { body: { domain_records: listed, links: {}, meta: { total: listed.length } } };
    }
    if (request.method === "POST" && request.path === RECORDS) {
      const created = { ...(JSON.parse(request.body) as Omit<DoRecord, "id">), id: nextId++ };
      records.push(created);
      return { status: 201, body: { domain_record: created } };
    }
    const id = Number(request.path.slice(RECORDS.length + 1));
    if (request.method === "DELETE" && Number.isInteger(id)) {
      const index = records.findIndex((r) => r.id === id);
      if (index < 0) return doError(404, "not_found", "The resource you were accessing could not be found.");
      records.splice(index, 1);
      return { status: 204 };
    }
    return doError(404, "not_found", "The resource you were accessing could not be found.");
  };
  return { records, answer };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connectTo(answer: (request: RecordedRequest) => ApiAnswer) {
  server = await startApiServer(answer);
  return digitalocean.connect({}, { apiToken: TOKEN }, { baseUrl: server.url });
}

describe("digitalocean", () => {
  it("creates a TXT record at the name relative to the domain, with the token as bearer", async () => {
    const fake = fakeDigitalOcean();
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });
    await client.createTxt({ fqdn: "example.com", zone: "example.com", value: "value-apex" });

    const [create, apex] = server!.requests;
    expect(create).toMatchObject({ method: "POST", path: RECORDS });
    expect(create!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(create!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(create!.body)).toEqual({ type: "TXT", name: "_acme-challenge", data: "value-A", ttl: 30 });
    expect(JSON.parse(apex!.body)).toMatchObject({ name: "@" });
  });

  it("deleting one of two values at a name leaves the other", async () => {
    const fake = fakeDigitalOcean([{ id: 1, type: "TXT", name: "www", data: "value-A", ttl: 30 }]);
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });
    await client.createTxt({ ...base, value: "value-B" });
    await client.deleteTxt({ ...base, value: "value-A" });

    expect(fake.records.map((r) => [r.name, r.data])).toEqual([
      ["www", "value-A"],
      ["_acme-challenge", "value-B"],
    ]);
    const list = server!.requests.find((r) => r.method === "GET")!;
    expect(list.path).toBe(RECORDS);
    expect(list.query.get("type")).toBe("TXT");
    expect(list.query.get("name")).toBe("_acme-challenge.example.com");
    expect(list.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const deletes = server!.requests.filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => r.path)).toEqual([`${RECORDS}/100`]);
    expect(deletes[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("deleting a value that is already gone is not an error, even when it goes in the meantime", async () => {
    const fake = fakeDigitalOcean([{ id: 1, type: "TXT", name: "_acme-challenge", data: "value-B", ttl: 30 }]);
    const client = await connectTo(fake.answer);
    await client.deleteTxt({ ...base, value: "value-A" });
    expect(server!.requests.some((r) => r.method === "DELETE")).toBe(false);
    await server!.close();

    // Listed, then removed by someone else before the DELETE arrives.
    const racing = fakeDigitalOcean([{ id: 2, type: "TXT", name: "_acme-challenge", data: "value-A", ttl: 30 }]);
    const client2 = await connectTo((request) => (request.method === "DELETE" ? doError(404, "not_found", "gone") : racing.answer(request)));
    await client2.deleteTxt({ ...base, value: "value-A" });
    expect(server!.requests.map((r) => r.method)).toEqual(["GET", "DELETE"]);
  });

  it("explains 401, 403, a missing domain, 429 and 5xx in plain words, with DigitalOcean's words as detail", async () => {
    const cases: [ApiAnswer, string][] = [
      [doError(401, "unauthorized", "Unable to authenticate you."), "DigitalOcean did not accept the API token: check that it was pasted whole"],
      [
        doError(403, "forbidden", "You do not have access for the attempted action."),
        "DigitalOcean refused the API token: it needs write access to the domain example.com",
      ],
      [doError(404, "not_found", "The resource you were accessing could not be found."), "DigitalOcean has no domain example.com in this account"],
      [doError(429, "too_many_requests", "API Rate limit exceeded."), "DigitalOcean is limiting how fast this token may make requests"],
      [doError(500, "server_error", "Server was unable to give you a response."), "DigitalOcean's API failed (HTTP 500)"],
    ];
    for (const [answer, message] of cases) {
      const client = await connectTo(() => answer);
      for (const attempt of [() => client.createTxt({ ...base, value: "v" }), () => client.deleteTxt({ ...base, value: "v" })]) {
        const thrown = await failureOf(attempt());
        expect(thrown.message).toContain(message);
        const { id, message: words } = answer.body as { id: string; message: string };
        expect(thrown.detail).toBe(`${id}: ${words}`);
      }
      await server!.close();
      server = undefined;
    }
  });

  it("says when an answer is not DigitalOcean's JSON", async () => {
    const client = await connectTo(() => ({ body: "<html>Sign in to the Wi-Fi</html>" }));
    const thrown = await failureOf(client.deleteTxt({ ...base, value: "v" }));
    expect(thrown.message).toBe("DigitalOcean's API gave an answer that is not JSON: is something between this server and DigitalOcean?");
    expect(thrown.detail).toBe("<html>Sign in to the Wi-Fi</html>");
  });

  it("says when DigitalOcean cannot be reached", async () => {
    server = await startApiServer(() => ({}));
    const url = server.url;
    await server.close();
    server = undefined;
    const client = digitalocean.connect({}, { apiToken: TOKEN }, { baseUrl: url });
    const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
    expect(thrown.message).toMatch(/^Could not reach DigitalOcean's API \(.*ECONNREFUSED/);
  });

  it("refuses a name outside the zone before asking DigitalOcean", async () => {
    const client = await connectTo(fakeDigitalOcean().answer);
    const thrown = await failureOf(client.createTxt({ fqdn: "_acme-challenge.other.org", zone: "example.com", value: "v" }));
    expect(thrown.message).toBe("_acme-challenge.other.org is not a name in the zone example.com");
    expect(server!.requests).toHaveLength(0);
  });

  it("asks for a token in plain words", () => {
    expect(digitalocean.credentials.safeParse({ apiToken: "" }).error?.issues[0]?.message).toBe("Paste the API token");
  });
});
