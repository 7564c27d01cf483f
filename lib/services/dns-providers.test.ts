import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Bind, startBind } from "@/test-support/bind";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { createCertificate } from "./certificates";
import {
  connectDnsProvider,
  createDnsProvider,
  deleteDnsProvider,
  getDnsProvider,
  listDnsProviders,
  testDnsProvider,
  updateDnsProvider,
} from "./dns-providers";

let bind: Bind;
beforeAll(async () => {
  bind = await startBind();
}, 30_000);
afterAll(() => bind?.stop());

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

const lookup = () => ({ servers: [bind.server], authoritativePort: bind.port });
const bindProvider = (overrides: { secret?: string } = {}) => ({
  name: "Office BIND",
  type: "rfc2136",
  settings: { server: bind.server, tsigKeyName: bind.keyName },
  credentials: { tsigSecret: overrides.secret ?? bind.secret },
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("DNS providers", () => {
  it("stores the settings, seals the credentials, and never returns them", async () => {
    const created = await createDnsProvider(bindProvider());
    expect(created).toMatchObject({
      name: "Office BIND",
      type: "rfc2136",
      settings: { server: bind.server, tsigKeyName: "acme-key", tsigAlgorithm: "hmac-sha256" },
      hasCredentials: true,
      certificateIds: [],
    });
    expect(JSON.stringify(await listDnsProviders())).not.toContain(bind.secret);
    const row = await db().dnsProvider.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(bind.secret);
  });

  it("names every bad field, under settings or credentials, and saves nothing", async () => {
    const error = await rejection(
      createDnsProvider({ name: "", type: "rfc2136", settings: { server: "a b", tsigAlgorithm: "md4" }, credentials: { tsigSecret: "%%" } }),
    );
    expect(error.details).toMatchObject({ name: "Give the DNS provider a name" });
    const typeError = await rejection(createDnsProvider({ name: "x", type: "gandi" }));
    expect(typeError.details.type).toMatch(/^Choose one of: rfc2136, cloudflare/);
    const fieldError = await rejection(createDnsProvider({ ...bindProvider(), settings: { server: "a b", tsigAlgorithm: "md4" }, credentials: {} }));
    expect(Object.keys(fieldError.details).sort()).toEqual([
      "credentials.tsigSecret",
      "settings.server",
      "settings.tsigAlgorithm",
      "settings.tsigKeyName",
    ]);
    expect(fieldError.details["settings.server"]).toBe("Write the server's hostname or address, with :port if it is not 53");
    expect(await listDnsProviders()).toEqual([]);
  });

  it("keeps the credentials when a change leaves them out, and asks for new ones with a new type", async () => {
    const created = await createDnsProvider(bindProvider());
    const renamed = await updateDnsProvider(created.id, { name: "Primary BIND", settings: { server: bind.server, tsigKeyName: "acme-key" } });
    expect(renamed.name).toBe("Primary BIND");
    expect((await testDnsProvider(created.id, { domain: "dns.test" }, lookup())).ok).toBe(true);

    const error = await rejection(updateDnsProvider(created.id, { type: "rfc2136", settings: {} }));
    expect(Object.keys(error.details)).toEqual(["settings.server", "settings.tsigKeyName"]);
    await createDnsProvider({ ...bindProvider(), name: "Other" });
    expect((await rejection(updateDnsProvider(created.id, { name: "Other" }))).details.name).toBe("There is already a DNS provider named “Other”");
    expect((await getDnsProvider(created.id)).name).toBe("Primary BIND");
  });

  it("cannot be deleted while a certificate renews through it", async () => {
    const provider = await createDnsProvider(bindProvider());
    const { certificate } = await createCertificate({
      type: "acme",
      domains: ["*.dns.test", "dns.test"],
      email: "admin@dns.test",
      challenge: "dns-01",
      dnsProviderId: provider.id,
    });
    expect((await getDnsProvider(provider.id)).certificateIds).toEqual([certificate.id]);
    const error = await rejection(deleteDnsProvider(provider.id));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe('This DNS provider is used by "*.dns.test", which renew through it: delete those certificates first');
    await db().certificate.delete({ where: { id: certificate.id } });
    await deleteDnsProvider(provider.id);
    expect(await listDnsProviders()).toEqual([]);
  });
});

describe("Test", () => {
  it("creates a TXT record, sees it on the zone's servers, and deletes it", async () => {
    const provider = await createDnsProvider(bindProvider());
    const result = await testDnsProvider(provider.id, { domain: "dns.test" }, lookup());
    expect(result).toEqual({
      ok: true,
      steps: [
        { step: "zone", ok: true, message: "The challenge record of dns.test is _acme-challenge.dns.test, in the zone dns.test" },
        { step: "create", ok: true, message: "Created a test TXT record at Office BIND" },
        { step: "served", ok: true, message: "ns.dns.test answers it" },
        { step: "delete", ok: true, message: "Deleted the test record" },
      ],
    });
    expect(await bind.txt("_acme-challenge.dns.test")).toEqual([]);
  });

  it("says in plain words that the secret is wrong", async () => {
    const provider = await createDnsProvider(bindProvider({ secret: Buffer.from("wrong").toString("base64") }));
    const result = await testDnsProvider(provider.id, { domain: "www.dns.test" }, lookup());
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)).toMatchObject({
      step: "create",
      ok: false,
      message: `The DNS server at ${bind.server} rejected the signature: the TSIG secret of key "acme-key" does not match the server's`,
    });
  });

  it("refuses a domain that is not one", async () => {
    const provider = await createDnsProvider(bindProvider());
    expect((await rejection(testDnsProvider(provider.id, { domain: "*.dns.test" }, lookup()))).details.domain).toMatch(/without \*\./);
    expect((await rejection(testDnsProvider("nope", { domain: "dns.test" }, lookup()))).code).toBe("not_found");
  });

  it("opens the client an order uses with the sealed credentials", async () => {
    const provider = await createDnsProvider(bindProvider());
    const connected = await connectDnsProvider(provider.id);
    const record = { fqdn: "_acme-challenge.order.dns.test", zone: "dns.test", value: "from-an-order" };
    await connected.client.createTxt(record);
    expect(await bind.txt(record.fqdn)).toEqual(["from-an-order"]);
    await connected.client.deleteTxt(record);
  });
});
