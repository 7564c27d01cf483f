import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { generateSelfSigned } from "../certs/self-signed";
import { createCertificate } from "./certificates";
import { createSite } from "./sites";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

/** A wildcard certificate as a user would upload it (made here, so it is not marked self-signed). */
async function uploadWildcard(): Promise<string> {
  const made = await generateSelfSigned(["*.example.com", "example.com"]);
  const { certificate } = await createCertificate({ type: "upload", certificatePem: made.certificatePem, privateKeyPem: made.privateKeyPem });
  return certificate.id;
}

const upstreams = [{ url: "http://127.0.0.1:8080" }];

describe("a new site picks up a wildcard certificate that covers it", () => {
  it("when it names no certificate", async () => {
    const wildcardId = await uploadWildcard();
    expect((await createSite({ name: "Shop", hostnames: ["shop.example.com", "example.com"], upstreams })).certificateId).toBe(wildcardId);
  });

  it("not when it asks for none, or a name is not covered", async () => {
    await uploadWildcard();
    expect((await createSite({ name: "Plain", hostnames: ["plain.example.com"], upstreams, certificateId: null })).certificateId).toBeNull();
    expect((await createSite({ name: "Deep", hostnames: ["a.b.example.com"], upstreams })).certificateId).toBeNull();
    expect((await createSite({ name: "Other", hostnames: ["blog.example.com", "example.org"], upstreams })).certificateId).toBeNull();
  });

  it("not a self-signed one", async () => {
    await createCertificate({ type: "self-signed", domains: ["*.example.com"] });
    expect((await createSite({ name: "Shop", hostnames: ["shop.example.com"], upstreams })).certificateId).toBeNull();
  });
});
