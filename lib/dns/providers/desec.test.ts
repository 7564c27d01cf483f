import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { desec } from "./desec";

const TOKEN = "i-T3b1h_OI-H9ab8tRS98stGtURe";
const A = "A".repeat(43);
const B = "B".repeat(43);
const record = (value: string) => ({ fqdn: "_acme-challenge.example.com", zone: "example.com", value });

interface RRset {
  subname: string;
  type: string;
  ttl: number;
  records: string[];
}

/**
 * deSEC's RRset API as documented: a set's own URL reads, changes (an empty list deletes) and
 * 404s when the set does not exist; new sets are POSTed on the list; "@" is the apex in URLs.
 */
function desecApi(zones: Record<string, RRset[]> = { "example.com": [] }) {
  let throttle = { times: 0, retryAfter: "0" };
  const answer = (request: RecordedRequest): ApiAnswer => {
    if (throttle.times > 0) {
      throttle.times--;
      return {
        status: 429,
        headers: { "retry-after": throttle.retryAfter },
        body: { detail: `Request was throttled. Expected available in ${throttle.retryAfter} seconds.` },
      };
    }
    if (request.headers.authorization !== `Token ${TOKEN}`) return { status: 401, body: { detail: "Invalid token." } };
    const match = /^\/domains\/([^/]+)\/rrsets\/(?:([^/]+)\/([A-Z]+)\/)?$/.exec(request.path);
    const rrsets = match && zones[match[1]!];
    if (!match || !rrsets) return { status: 404, body: { detail: "Not found." } };
    const body = request.body ? JSON.parse(request.body) : undefined;
    const quoted = (records: string[]) => records.every((r) => /^".*"$/.test(r));

    if (!match[2]) {
      if (request.method !== "POST") return { status: 405, body: { detail: `Method "${request.method}" not allowed.` } };
      if (rrsets.some((s) => s.subname === body.subname && s.type === body.type)) {
        return { status: 400, body: { non_field_errors: ["Another RRset with the same subdomain and type exists for this domain."] } };
      }
      if (!quoted(body.records)) return { status: 400, body: { records: ["Unquoted TXT."] } };
      const created: RRset = { subname: body.subname, type: body.type, ttl: body.ttl, records: body.records };
      rrsets.push(created);
      return { status: 201, body: created };
    }

    const subname = match[2] === "@" ? "" : decodeURIComponent(match[2]);
    const index = rrsets.findIndex((s) => s.subname === subname && s.type === match[3]);
    const rrset = rrsets[index];
    if (request.method === "DELETE") {
      if (rrset) rrsets.splice(index, 1);
      return { status: 204 };
    }
    if (!rrset) return { status: 404, body: { detail: "Not found." } };
    if (request.method === "GET") return { body: rrset };
    if (request.method === "PATCH") {
      if (body.records?.length === 0) {
        rrsets.splice(index, 1);
        return { status: 204 };
      }
      if (!quoted(body.records)) return { status: 400, body: { records: ["Unquoted TXT."] } };
      rrset.records = body.records;
      return { body: rrset };
    }
    return { status: 405, body: { detail: `Method "${request.method}" not allowed.` } };
  };
  return {
    answer,
    zones,
    throttle: (times: number, retryAfter = "0") => {
      throttle = { times, retryAfter };
    },
  };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connect(answer: (request: RecordedRequest) => ApiAnswer, apiToken = TOKEN) {
  server = await startApiServer(answer);
  return desec.connect({}, { apiToken }, { baseUrl: server.url });
}

const calls = () => server!.requests.map((r) => `${r.method} ${r.path}`);

describe("desec", () => {
  it("validates the token with a plain message", () => {
    expect(desec.credentials.safeParse({ apiToken: "" }).error?.issues[0]?.message).toBe("Paste the API token");
  });

  it("creates a new TXT set on the list, the value quoted, with the token in the header", async () => {
    const api = desecApi();
    const client = await connect(api.answer);
    await client.createTxt(record(A));

    expect(calls()).toEqual(["GET /domains/example.com/rrsets/_acme-challenge/TXT/", "POST /domains/example.com/rrsets/"]);
    expect(server!.requests.every((r) => r.headers.authorization === `Token ${TOKEN}`)).toBe(true);
    expect(server!.requests[1]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(server!.requests[1]!.body)).toEqual({ subname: "_acme-challenge", type: "TXT", ttl: 3600, records: [`"${A}"`] });
  });

  it("adds a second value with the whole set, and deleting one sends the rest", async () => {
    const api = desecApi({ "example.com": [{ subname: "www", type: "TXT", ttl: 3600, records: ['"other"'] }] });
    const client = await connect(api.answer);
    await client.createTxt(record(A));
    await client.createTxt(record(B));
    await client.createTxt(record(B));
    expect(api.zones["example.com"]!.find((s) => s.subname === "_acme-challenge")!.records).toEqual([`"${A}"`, `"${B}"`]);
    expect(JSON.parse(server!.requests[3]!.body)).toEqual({ records: [`"${A}"`, `"${B}"`] });

    server!.requests.length = 0;
    await client.deleteTxt(record(A));
    expect(calls()).toEqual(["GET /domains/example.com/rrsets/_acme-challenge/TXT/", "PATCH /domains/example.com/rrsets/_acme-challenge/TXT/"]);
    expect(JSON.parse(server!.requests[1]!.body)).toEqual({ records: [`"${B}"`] });
    expect(api.zones["example.com"]!.find((s) => s.subname === "_acme-challenge")!.records).toEqual([`"${B}"`]);

    await client.deleteTxt(record(B));
    expect(JSON.parse(server!.requests[3]!.body)).toEqual({ records: [] });
    expect(api.zones["example.com"]!.map((s) => s.subname)).toEqual(["www"]);

    server!.requests.length = 0;
    await client.deleteTxt(record(B));
    expect(calls()).toEqual(["GET /domains/example.com/rrsets/_acme-challenge/TXT/"]);
  });

  it('names the apex "@" in the URL and "" in the body', async () => {
    const api = desecApi({ "_acme-challenge.example.com": [] });
    const client = await connect(api.answer);
    await client.createTxt({ fqdn: "_acme-challenge.example.com", zone: "_acme-challenge.example.com", value: A });
    expect(calls()).toEqual(["GET /domains/_acme-challenge.example.com/rrsets/@/TXT/", "POST /domains/_acme-challenge.example.com/rrsets/"]);
    expect(JSON.parse(server!.requests[1]!.body).subname).toBe("");
  });

  it("waits out 429 answers as Retry-After says, then goes on", async () => {
    const api = desecApi();
    const client = await connect(api.answer);
    api.throttle(2, "1");
    const started = Date.now();
    await client.createTxt(record(A));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(calls()).toEqual([
      "GET /domains/example.com/rrsets/_acme-challenge/TXT/",
      "GET /domains/example.com/rrsets/_acme-challenge/TXT/",
      "GET /domains/example.com/rrsets/_acme-challenge/TXT/",
      "POST /domains/example.com/rrsets/",
    ]);
    expect(api.zones["example.com"]).toHaveLength(1);
  });

  it("gives up after a few 429 answers, saying deSEC is limiting requests", async () => {
    const api = desecApi();
    const client = await connect(api.answer);
    api.throttle(10);
    const failure = await failureOf(client.createTxt(record(A)));
    expect(server!.requests).toHaveLength(4);
    expect(failure.message).toBe("deSEC is limiting requests (too many DNS changes in a short time): wait a second and try again");
    expect(failure.detail).toContain("Request was throttled");
  });

  it("does not sit out a long Retry-After: it says how long to wait", async () => {
    const api = desecApi();
    const client = await connect(api.answer);
    api.throttle(1, "3000");
    const failure = await failureOf(client.createTxt(record(A)));
    expect(server!.requests).toHaveLength(1);
    expect(failure.message).toBe("deSEC is limiting requests (too many DNS changes in a short time): wait 50 minutes and try again");
  });

  it("says the token was not accepted", async () => {
    const client = await connect(desecApi().answer, "wrong");
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toMatch(/^deSEC did not accept the token: check that the whole token was pasted/);
    expect(failure.detail).toBe('{"detail":"Invalid token."}');
  });

  it("says the domain is not in the account", async () => {
    const client = await connect(desecApi().answer);
    const failure = await failureOf(client.createTxt({ fqdn: "_acme-challenge.example.net", zone: "example.net", value: A }));
    expect(failure.message).toBe("deSEC has no domain example.net in this account: check that it is in the deSEC account the token belongs to");
  });

  it("says a restricted token may not write the name", async () => {
    const client = await connect(() => ({ status: 403, body: { detail: "You do not have permission to perform this action." } }));
    const failure = await failureOf(client.deleteTxt(record(A)));
    expect(failure.message).toMatch(/^deSEC's token may not change the TXT records at _acme-challenge.example.com/);
  });

  it("says deSEC's API failed on a 5xx", async () => {
    const client = await connect(() => ({ status: 502, body: "Bad Gateway" }));
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toBe("deSEC's API failed (HTTP 502): try again later");
    expect(failure.detail).toBe("Bad Gateway");
  });

  it("says deSEC could not be reached", async () => {
    const client = await connect(desecApi().answer);
    await server!.close();
    const failure = await failureOf(client.createTxt(record(A)));
    expect(failure.message).toMatch(/^Could not reach deSEC's API \(ECONNREFUSED\)/);
  });
});
