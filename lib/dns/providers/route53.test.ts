import { afterEach, describe, expect, it } from "vitest";
import { failureOf } from "@/test-support/dns-provider-failure";
import { type ApiAnswer, type ApiServer, type RecordedRequest, startApiServer } from "@/test-support/api-server";
import { route53 } from "./route53";

const KEYS = { accessKeyId: "AKID", secretAccessKey: "secret" };
const ZONE_ID = "Z0123456789ABC";
const base = { fqdn: "_acme-challenge.example.com", zone: "example.com" };
const XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/";

interface RecordSet {
  name: string;
  type: string;
  ttl: number;
  values: string[];
}

const xml = (body: string, status = 200): ApiAnswer => ({
  status,
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  headers: { "content-type": "text/xml" },
});

const awsError = (status: number, code: string, message: string): ApiAnswer =>
  xml(
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
    status,
  );

const tags = (body: string, tag: string) =>
  [...body.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, "g"))].map((m) => m[1]!.replaceAll("&quot;", '"'));

/** Route 53's REST/XML API with one public hosted zone, example.com., and its record sets in memory. */
function fakeRoute53(sets: RecordSet[] = []) {
  const answer = (request: RecordedRequest): ApiAnswer => {
    if (request.method === "GET" && request.path === "/2013-04-01/hostedzonesbyname") {
      // A private zone of the same name sorts first, as Route 53 may list it.
      const zones = ["private", "public"]
        .map(
          (kind) =>
            `<HostedZone><Id>/hostedzone/${kind === "public" ? ZONE_ID : "ZPRIVATE"}</Id><Name>example.com.</Name><CallerReference>${kind}</CallerReference>` +
            `<Config><PrivateZone>${kind === "private"}</PrivateZone></Config><ResourceRecordSetCount>3</ResourceRecordSetCount></HostedZone>`,
        )
        .join("");
      const found = request.query.get("dnsname") === "example.com" ? zones : "";
      return xml(
        `<ListHostedZonesByNameResponse xmlns="${XMLNS}"><HostedZones>${found}</HostedZones><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems></ListHostedZonesByNameResponse>`,
      );
    }
    const rrset = `/2013-04-01/hostedzone/${ZONE_ID}/rrset`;
    if (request.path.startsWith("/2013-04-01/hostedzone/") && !request.path.startsWith(rrset)) {
      return awsError(404, "NoSuchHostedZone", "No hosted zone found with ID: ZWRONG");
    }
    const sorted = [...sets].sort((a, b) => (a.name + " " + a.type).localeCompare(b.name + " " + b.type));
    if (request.method === "GET" && request.path === rrset) {
      const start = `${request.query.get("name")}. ${request.query.get("type")}`;
      const maxItems = Number(request.query.get("maxitems") ?? "100");
      const listed = sorted
        .filter((s) => s.name + " " + s.type >= start)
        .slice(0, maxItems)
        .map(
          (s) =>
            `<ResourceRecordSet><Name>${s.name}</Name><Type>${s.type}</Type><TTL>${s.ttl}</TTL><ResourceRecords>` +
            s.values.map((v) => `<ResourceRecord><Value>${v}</Value></ResourceRecord>`).join("") +
            `</ResourceRecords></ResourceRecordSet>`,
        )
        .join("");
      return xml(
        `<ListResourceRecordSetsResponse xmlns="${XMLNS}"><ResourceRecordSets>${listed}</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>${maxItems}</MaxItems></ListResourceRecordSetsResponse>`,
      );
    }
    if (request.method === "POST" && request.path.replace(/\/$/, "") === rrset) {
      const [action] = tags(request.body, "Action");
      const [name] = tags(request.body, "Name");
      const [type] = tags(request.body, "Type");
      const changed: RecordSet = {
        name: name!.endsWith(".") ? name! : name + ".",
        type: type!,
        ttl: Number(tags(request.body, "TTL")[0]),
        values: tags(request.body, "Value"),
      };
      const index = sets.findIndex((s) => s.name === changed.name && s.type === changed.type);
      if (action === "UPSERT") {
        if (index >= 0) sets[index] = changed;
        else sets.push(changed);
      } else if (action === "DELETE") {
        // Route 53 deletes a set only when the request repeats it exactly.
        if (index < 0 || JSON.stringify(sets[index]) !== JSON.stringify(changed)) {
          return awsError(
            400,
            "InvalidChangeBatch",
            `[Tried to delete resource record set [name='${name}', type='${type}'] but the values provided do not match the current values]`,
          );
        }
        sets.splice(index, 1);
      }
      return xml(
        `<ChangeResourceRecordSetsResponse xmlns="${XMLNS}"><ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status><SubmittedAt>2026-12-07T12:00:00.000Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`,
      );
    }
    return awsError(404, "UnknownOperationException", `no route for ${request.method} ${request.path}`);
  };
  return { sets, answer };
}

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function connectTo(answer: (request: RecordedRequest) => ApiAnswer, hostedZoneId?: string) {
  server = await startApiServer(answer);
  return route53.connect(route53.settings.parse({ hostedZoneId }), KEYS, { baseUrl: server.url });
}

const challenge = (values: string[], ttl = 60): RecordSet => ({ name: "_acme-challenge.example.com.", type: "TXT", ttl, values });

describe("route53", () => {
  it("finds the public hosted zone by name and UPSERTs a quoted TXT value, signed with SigV4", async () => {
    const fake = fakeRoute53([{ name: "example.com.", type: "A", ttl: 300, values: ["192.0.2.1"] }]);
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-A" });

    const [zones, list, change] = server!.requests;
    expect(zones).toMatchObject({ method: "GET", path: "/2013-04-01/hostedzonesbyname" });
    expect(zones!.query.get("dnsname")).toBe("example.com");
    expect(list).toMatchObject({ method: "GET", path: `/2013-04-01/hostedzone/${ZONE_ID}/rrset` });
    expect(list!.query.get("name")).toBe("_acme-challenge.example.com");
    expect(list!.query.get("type")).toBe("TXT");
    expect(change!.method).toBe("POST");
    expect(change!.path).toMatch(new RegExp(`^/2013-04-01/hostedzone/${ZONE_ID}/rrset/?$`));
    expect(tags(change!.body, "Action")).toEqual(["UPSERT"]);
    expect(tags(change!.body, "Name")).toEqual(["_acme-challenge.example.com"]);
    expect(tags(change!.body, "Type")).toEqual(["TXT"]);
    expect(tags(change!.body, "TTL")).toEqual(["60"]);
    expect(tags(change!.body, "Value")).toEqual(['"value-A"']);
    for (const request of server!.requests) {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKID\/\d{8}\/us-east-1\/route53\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/,
      );
    }
    expect(fake.sets).toContainEqual(challenge(['"value-A"']));
  });

  it("uses the hosted zone ID from the settings without looking it up", async () => {
    const fake = fakeRoute53();
    const client = await connectTo(fake.answer, `/hostedzone/${ZONE_ID}`);
    await client.createTxt({ ...base, value: "value-A" });
    expect(server!.requests.map((r) => r.path.replace(/\/$/, ""))).toEqual([
      `/2013-04-01/hostedzone/${ZONE_ID}/rrset`,
      `/2013-04-01/hostedzone/${ZONE_ID}/rrset`,
    ]);
  });

  it("adds a value to the name's set, keeping its TTL, and not twice", async () => {
    const fake = fakeRoute53([challenge(['"value-A"'], 120)]);
    const client = await connectTo(fake.answer);
    await client.createTxt({ ...base, value: "value-B" });
    await client.createTxt({ ...base, value: "value-B" });
    expect(fake.sets).toEqual([challenge(['"value-A"', '"value-B"'], 120)]);
    expect(server!.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("keeps both values when a wildcard and its base name are created at once", async () => {
    const fake = fakeRoute53();
    const client = await connectTo(fake.answer);
    await Promise.all([client.createTxt({ ...base, value: "value-A" }), client.createTxt({ ...base, value: "value-B" })]);
    expect(fake.sets).toEqual([challenge(['"value-A"', '"value-B"'])]);
  });

  it("deleting one of two values UPSERTs the other, deleting the last DELETEs the set", async () => {
    const fake = fakeRoute53([challenge(['"value-A"', '"value-B"'], 300)]);
    const client = await connectTo(fake.answer);
    await client.deleteTxt({ ...base, value: "value-A" });
    expect(fake.sets).toEqual([challenge(['"value-B"'], 300)]);
    const first = server!.requests.filter((r) => r.method === "POST")[0]!;
    expect(tags(first.body, "Action")).toEqual(["UPSERT"]);
    expect(tags(first.body, "Value")).toEqual(['"value-B"']);

    await client.deleteTxt({ ...base, value: "value-B" });
    expect(fake.sets).toEqual([]);
    const second = server!.requests.filter((r) => r.method === "POST")[1]!;
    expect(tags(second.body, "Action")).toEqual(["DELETE"]);
  });

  it("deleting a value that is already gone changes nothing and is not an error", async () => {
    const fake = fakeRoute53([challenge(['"value-B"']), { name: "www.example.com.", type: "TXT", ttl: 60, values: ['"value-A"'] }]);
    const client = await connectTo(fake.answer);
    await client.deleteTxt({ ...base, value: "value-A" });
    await client.deleteTxt({ fqdn: "_acme-challenge.www.example.com", zone: "example.com", value: "value-A" });
    expect(server!.requests.some((r) => r.method === "POST")).toBe(false);
    expect(fake.sets).toHaveLength(2);
  });

  it("says the hosted zone is missing, by name or by ID", async () => {
    const client = await connectTo(fakeRoute53().answer);
    const byName = await failureOf(client.createTxt({ fqdn: "_acme-challenge.other.org", zone: "other.org", value: "v" }));
    expect(byName.message).toBe(
      "Route 53 has no public hosted zone other.org in this AWS account: create it, or use an access key of the account that holds it",
    );
    await server!.close();

    const withId = await connectTo(fakeRoute53().answer, "ZWRONG");
    const byId = await failureOf(withId.createTxt({ ...base, value: "v" }));
    expect(byId.message).toBe(
      "Route 53 has no hosted zone with the hosted zone ID in the settings: correct it, or leave it empty to find the zone by name",
    );
    expect(byId.detail).toBe("NoSuchHostedZone: No hosted zone found with ID: ZWRONG");
  });

  it("explains AWS's refusals and failures in plain words, with AWS's own words as detail", async () => {
    const cases: [ApiAnswer, string][] = [
      [awsError(403, "InvalidClientTokenId", "The security token included in the request is invalid."), "AWS does not know the access key ID"],
      [awsError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match"), "AWS did not accept the secret access key"],
      [
        awsError(403, "AccessDenied", "User: arn:aws:iam::1:user/acme is not authorized to perform: route53:ChangeResourceRecordSets"),
        "AWS refused the access key: its IAM policy must allow",
      ],
      [awsError(400, "Throttling", "Rate exceeded"), "Route 53 is limiting how fast this account may make changes"],
      [awsError(503, "ServiceUnavailable", "Service is unavailable"), "Route 53's API failed (HTTP 503)"],
    ];
    for (const [answer, message] of cases) {
      const fake = fakeRoute53();
      const client = await connectTo((request) => (request.method === "POST" ? answer : fake.answer(request)));
      const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
      expect(thrown.message).toContain(message);
      const body = answer.body as string;
      expect(thrown.detail).toBe(`${tags(body, "Code")[0]}: ${tags(body, "Message")[0]}`);
      await server!.close();
      server = undefined;
    }
  });

  it("says when Route 53 cannot be reached", async () => {
    server = await startApiServer(() => ({}));
    const url = server.url;
    await server.close();
    server = undefined;
    const client = route53.connect(route53.settings.parse({}), KEYS, { baseUrl: url });
    const thrown = await failureOf(client.createTxt({ ...base, value: "v" }));
    expect(thrown.message).toMatch(/^Could not reach Route 53's API \(.*ECONNREFUSED/);
  });

  it("checks settings and credentials in plain words", () => {
    expect(route53.settings.parse({})).toEqual({ region: "us-east-1" });
    expect(route53.settings.parse({ hostedZoneId: " " })).toEqual({ region: "us-east-1" });
    expect(route53.settings.safeParse({ hostedZoneId: "example.com" }).error?.issues[0]?.message).toMatch(/^A hosted zone ID looks like Z/);
    expect(route53.settings.safeParse({ region: "US East" }).error?.issues[0]?.message).toBe("An AWS region looks like us-east-1");
    expect(route53.credentials.safeParse({ accessKeyId: "AKID", secretAccessKey: "" }).error?.issues[0]?.message).toBe("Paste the secret access key");
  });
});
