import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { createCertificate, listCertificates } from "./certificates";
import { getAppSettings } from "./settings";

/** The rules of placing an ACME order, the same through the API as through the dashboard. */

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

const order = (domains: string[], extra: Record<string, unknown> = {}) => createCertificate({ type: "acme", domains, ...extra });
const failed = (id: string) =>
  db().certificate.update({ where: { id }, data: { orderStatus: "none", lastError: "The CA could not reach the site" } });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("placing an ACME order", () => {
  it("keeps the first email given as the default, and later ones do not replace it", async () => {
    expect((await rejection(order(["shop.example.com"]))).details.email).toMatch(/^Enter the email/);
    await order(["shop.example.com"], { email: "first@example.com" });
    expect((await getAppSettings()).acmeEmail).toBe("first@example.com");
    await order(["blog.example.com"], { email: "second@example.com" });
    expect((await getAppSettings()).acmeEmail).toBe("first@example.com");
    const { certificate } = await order(["docs.example.com"]);
    expect(await db().certificate.findUniqueOrThrow({ where: { id: certificate.id }, select: { acmeEmail: true } })).toEqual({
      acmeEmail: "first@example.com",
    });
  });

  it("retires earlier failed orders for the same names that never got a certificate, and nothing else", async () => {
    const email = { email: "ops@example.com" };
    const sameFailed = (await order(["www.example.com", "example.com"], email)).certificate;
    await failed(sameFailed.id);
    const otherNames = (await order(["api.example.com"], email)).certificate;
    await failed(otherNames.id);
    const stillQueued = (await order(["example.com", "www.example.com"], email)).certificate;
    const latest = (await order(["EXAMPLE.com", "www.example.com"], email)).certificate;
    const left = (await listCertificates()).map((certificate) => certificate.id).sort();
    expect(left).toEqual([otherNames.id, stillQueued.id, latest.id].sort());
  });

  it("orders a wildcard only with a DNS challenge and a DNS provider that exists", async () => {
    const wildcard = await rejection(order(["*.example.com", "example.com"], { email: "ops@example.com" }));
    expect(wildcard.details).toEqual({
      "domains.0": "*.example.com is a wildcard: only a DNS challenge can prove it. Order with a DNS provider, or list the names",
    });
    const noProvider = await rejection(order(["*.example.com"], { email: "ops@example.com", challenge: "dns-01" }));
    expect(noProvider.details).toEqual({ dnsProviderId: "Choose the DNS provider that creates the TXT records" });
    const unknown = await rejection(order(["*.example.com"], { email: "ops@example.com", challenge: "dns-01", dnsProviderId: "nope" }));
    expect(unknown.details).toEqual({ dnsProviderId: "There is no DNS provider with this id" });
    expect((await rejection(order(["example.com"], { email: "ops@example.com", challenge: "tls-alpn-01" }))).details.challenge).toBe(
      'Choose "http-01" or "dns-01"',
    );
    expect(await listCertificates()).toEqual([]);
  });
});
