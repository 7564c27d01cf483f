import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { generateSelfSigned } from "../certs/self-signed";
import { db } from "../db";
import { AppError } from "../errors";
import { createCertificate, getCertificate, requestRenewal } from "./certificates";
import { createSite, getSite } from "./sites";
import { claimNextOrder, completeOrder, dueExpiryWarnings, failOrder, markExpiryWarned, requeueInterruptedOrders } from "./acme-orders";
import { currentRevision } from "./revision";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1";
});
afterEach(() => cleanup());

const DAY = 24 * 60 * 60 * 1000;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function order(siteId?: string, forceHttps = false) {
  const { certificate } = await createCertificate({
    type: "acme",
    domains: ["shop.example.com", "www.shop.example.com"],
    email: "ops@example.com",
    siteId,
    forceHttps,
  });
  return certificate;
}

async function issue(id: string, now: Date, days = 90) {
  const material = await generateSelfSigned(["shop.example.com", "www.shop.example.com"], { now, days });
  return completeOrder(id, { ...material, chainPem: "" }, now);
}

describe("ACME order lifecycle", () => {
  it("queues an order as a pending certificate, claimed once", async () => {
    const pending = await order();
    expect(pending).toMatchObject({ source: "acme", status: "pending", ordering: true, progress: [], autoRenew: true });
    const claimed = await claimNextOrder();
    expect(claimed).toMatchObject({
      certificateId: pending.id,
      domains: ["shop.example.com", "www.shop.example.com"],
      email: "ops@example.com",
      renewal: false,
    });
    expect(await claimNextOrder()).toBeNull();
  });

  it("refuses to put a site on a certificate that is not issued yet", async () => {
    const pending = await order();
    const error = await rejection(
      createSite({ name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://10.0.0.5" }], certificateId: pending.id }),
    );
    expect(error.details.certificateId).toMatch(/not been issued yet/);
  });

  it("installs the issued certificate, switches the requesting site, forces HTTPS when asked, and schedules renewal", async () => {
    const site = await createSite({ name: "Shop", hostnames: ["shop.example.com"], upstreams: [{ url: "http://10.0.0.5" }] });
    const pending = await order(site.id, true);
    await claimNextOrder();
    const now = new Date();
    const revision = await issue(pending.id, now);

    expect(revision).toBe(await currentRevision());
    const issued = await getCertificate(pending.id);
    expect(issued).toMatchObject({ status: "valid", ordering: false, lastError: null, siteIds: [site.id] });
    expect(new Date(issued.renewAt!).getTime()).toBeCloseTo(new Date(issued.notAfter).getTime() - 30 * DAY, -4);
    expect(await getSite(site.id)).toMatchObject({ certificateId: pending.id, forceHttps: true, status: { applied: false } });
  });

  it("claims a renewal when it is due, and a failed renewal keeps the old certificate with a backoff", async () => {
    const pending = await order();
    await claimNextOrder();
    const now = new Date();
    await issue(pending.id, now);
    const before = await getCertificate(pending.id);
    expect(await claimNextOrder(now)).toBeNull();

    const later = new Date(now.getTime() + 61 * DAY);
    const renewal = await claimNextOrder(later);
    expect(renewal).toMatchObject({ certificateId: pending.id, renewal: true });
    const retryAt = await failOrder(pending.id, "The CA could not connect to shop.example.com on port 80", later);
    expect(retryAt.getTime() - later.getTime()).toBe(5 * 60_000);

    const failed = await getCertificate(pending.id, later);
    expect(failed).toMatchObject({ status: "failed", lastError: expect.stringContaining("port 80"), serialNumber: before.serialNumber });
    // The dashboard says when the proxy tries again by itself, from the same backoff.
    expect(failed.nextAttemptAt).toBe(retryAt.toISOString());
    expect(await claimNextOrder(new Date(later.getTime() + 60_000))).toBeNull();
    expect(await claimNextOrder(new Date(later.getTime() + 5 * 60_000))).toMatchObject({ renewal: true });
    await issue(pending.id, later);
    expect((await getCertificate(pending.id, later)).nextAttemptAt).toBeNull();
  });

  it("queues 'Renew now' only for ACME certificates, and requeues orders a crash interrupted", async () => {
    const pending = await order();
    await claimNextOrder();
    await issue(pending.id, new Date());
    expect((await requestRenewal(pending.id)).ordering).toBe(true);
    expect(await claimNextOrder()).toMatchObject({ renewal: true });
    await requeueInterruptedOrders();
    expect(await claimNextOrder()).toMatchObject({ certificateId: pending.id });

    const { certificate: selfSigned } = await createCertificate({ type: "self-signed", domains: ["a.example.com"] });
    expect((await rejection(requestRenewal(selfSigned.id))).code).toBe("conflict");
  });
});

describe("expiry warnings", () => {
  it("warns once per threshold, only the tightest one crossed", async () => {
    const now = new Date();
    const { certificate } = await createCertificate({ type: "self-signed", domains: ["soon.example.com"] });
    await db().certificate.update({ where: { id: certificate.id }, data: { notAfter: new Date(now.getTime() + 10 * DAY + 3600_000) } });
    expect(await dueExpiryWarnings(now)).toEqual([expect.objectContaining({ certificateId: certificate.id, threshold: 14, daysLeft: 10 })]);
    await markExpiryWarned(certificate.id, 14);
    expect(await dueExpiryWarnings(now)).toEqual([]);

    const fiveDaysLater = new Date(now.getTime() + 5 * DAY);
    expect(await dueExpiryWarnings(fiveDaysLater)).toEqual([expect.objectContaining({ threshold: 7 })]);
    await markExpiryWarned(certificate.id, 7);
    const lastDay = new Date(now.getTime() + 10 * DAY);
    expect(await dueExpiryWarnings(lastDay)).toEqual([expect.objectContaining({ threshold: 1, daysLeft: 0 })]);
  });
});
