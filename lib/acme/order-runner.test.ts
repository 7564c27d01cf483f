import { X509Certificate } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db";
import type { ProgressStep } from "../schemas/certificate";
import { unusedPort } from "@/test-support/backend";
import { useTempDatabase } from "@/test-support/database";
import { startPebble, type Pebble } from "@/test-support/pebble";
import { loadAcmeAccount } from "./account-store";
import { OrderProgress } from "./order-progress";
import { runOrder, type ChallengePublisher, type OrderOutcome } from "./order-runner";

/** The order runner against a real ACME server (Pebble), answering HTTP-01 from a real HTTP server. */

let pebble: Pebble;
let cleanup: () => Promise<void>;
let answers: http.Server;
const published = new Map<string, string>();
const everPublished = new Set<string>();

const challenges: ChallengePublisher = {
  async publish(token, keyAuthorization) {
    published.set(token, keyAuthorization);
    everPublished.add(token);
  },
  async remove(token) {
    published.delete(token);
  },
};

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ACME_DIRECTORY_URL: pebble.directoryUrl, ACME_CA_FILE: pebble.caFile, ...extra };
}

async function order(domains: string[], extraEnv: Record<string, string> = {}): Promise<{ outcome: OrderOutcome; saves: ProgressStep[][] }> {
  const saves: ProgressStep[][] = [];
  const progress = new OrderProgress((steps) => void saves.push(steps));
  const outcome = await runOrder(
    { domains, email: "admin@gatekeeper.test", staging: false, challenge: "http-01" },
    { challenges, progress, env: env(extraEnv), polling: { attempts: 10, minMs: 200, maxMs: 2_000 } },
  );
  return { outcome, saves };
}

beforeAll(async () => {
  ({ cleanup } = await useTempDatabase());
  answers = http.createServer((request, response) => {
    const token = request.url?.split("/").pop() ?? "";
    const answer = published.get(token);
    response.writeHead(answer ? 200 : 404).end(answer ?? "not found");
  });
  await new Promise<void>((resolve) => answers.listen(0, "127.0.0.1", resolve));
  pebble = await startPebble({ httpPort: (answers.address() as AddressInfo).port });
}, 60_000);

afterAll(async () => {
  await pebble?.stop();
  answers?.close();
  await cleanup?.();
});

describe("runOrder against Pebble", () => {
  it("issues one certificate for two names, step by step, with a chain to Pebble's root", async () => {
    const { outcome, saves } = await order(["shop.test", "www.shop.test"]);
    if (!outcome.ok) throw new Error(`order failed: ${JSON.stringify(outcome.failure)}\n${pebble.log()}`);
    const final = saves.at(-1)!;
    expect(final.map((step) => [step.step, step.state])).toEqual([
      ["account", "done"],
      ["order", "done"],
      ["challenge shop.test", "done"],
      ["challenge www.shop.test", "done"],
      ["validation", "done"],
      ["issued", "done"],
    ]);
    expect(final[0]!.message).toBe("Created the account for admin@gatekeeper.test at The certificate authority");
    // Each step was shown running before it was done.
    expect(saves.some((steps) => steps.some((step) => step.step === "challenge shop.test" && step.state === "running"))).toBe(true);

    const leaf = new X509Certificate(outcome.certificate.certificatePem);
    expect(leaf.subjectAltName?.split(", ").sort()).toEqual(["DNS:shop.test", "DNS:www.shop.test"]);
    expect(leaf.checkPrivateKey((await import("node:crypto")).createPrivateKey(outcome.certificate.privateKeyPem))).toBe(true);
    const intermediate = new X509Certificate(outcome.certificate.chainPem);
    const root = new X509Certificate(await pebble.rootPem());
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(outcome.certificate.notAfter).toEqual(new Date(leaf.validTo));
    // Tokens are served only while the order runs.
    expect(published.size).toBe(0);
  });

  it("keeps the account (key sealed) and reuses it; every certificate gets a new key", async () => {
    const account = await loadAcmeAccount(pebble.directoryUrl);
    expect(account?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/my-account\//);
    const row = await db().setting.findUniqueOrThrow({ where: { key: `acme.account:${pebble.directoryUrl}` } });
    expect(row.value).not.toContain("PRIVATE KEY");

    const first = await order(["again.test"]);
    const second = await order(["again.test"]);
    if (!first.outcome.ok || !second.outcome.ok) throw new Error("order failed");
    expect(first.saves.at(-1)![0]!.message).toMatch(/^Using the account/);
    expect((await loadAcmeAccount(pebble.directoryUrl))?.url).toBe(account?.url);
    expect(first.outcome.certificate.privateKeyPem).not.toBe(second.outcome.certificate.privateKeyPem);
  });

  it("fails a name the CA cannot reach with plain words and the CA's own detail", async () => {
    await pebble.pointHost("unreachable.test", ["127.0.0.2"]);
    const tokensBefore = everPublished.size;
    const { outcome, saves } = await order(["ok.test", "unreachable.test"]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure.message).toMatch(/^The CA could not connect to unreachable\.test on port 80: the connection was refused/);
    expect(outcome.failure.detail).toMatch(/127\.0\.0\.2.*connection refused/);
    const failed = saves.at(-1)!.find((step) => step.step === "challenge unreachable.test");
    expect(failed).toMatchObject({ state: "failed", message: outcome.failure.message, detail: outcome.failure.detail });
    expect(saves.at(-1)!.map((step) => step.step)).not.toContain("issued");
    expect(everPublished.size).toBeGreaterThan(tokensBefore);
    expect(published.size).toBe(0);
  });

  it("says when the ACME server cannot be reached", async () => {
    const url = `https://127.0.0.1:${await unusedPort()}/dir`;
    const { outcome, saves } = await order(["x.test"], { ACME_DIRECTORY_URL: url });
    expect(outcome).toMatchObject({ ok: false, failure: { message: `Could not reach the ACME server at ${url}: the connection was refused` } });
    expect(saves.at(-1)).toEqual([expect.objectContaining({ step: "account", state: "failed" })]);
  });

  it("says when the ACME server's certificate is not trusted, and when ACME_CA_FILE is unusable", async () => {
    const untrusted = await order(["x.test"], { ACME_CA_FILE: "" });
    expect(untrusted.outcome).toMatchObject({
      ok: false,
      failure: { message: expect.stringMatching(/does not trust: if it uses a private CA, set ACME_CA_FILE/) },
    });
    const missing = await order(["x.test"], { ACME_CA_FILE: "/nonexistent/ca.pem" });
    expect(missing.outcome).toMatchObject({
      ok: false,
      failure: { message: expect.stringMatching(/^ACME_CA_FILE \(\/nonexistent\/ca\.pem\) could not be read/) },
    });
  });
});

describe("runOrder and a rate-limited CA", () => {
  it("fails at once with the time to try again, instead of sleeping through Retry-After", async () => {
    // A minimal ACME server that rate-limits every account registration for an hour.
    const server = http.createServer((request, response) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (request.url === "/dir") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ newNonce: `${base}/nonce`, newAccount: `${base}/account`, newOrder: `${base}/order` }));
      } else if (request.url === "/nonce") {
        response.writeHead(200, { "replay-nonce": `n${Date.now()}` }).end();
      } else {
        request.resume();
        response.writeHead(429, { "content-type": "application/problem+json", "retry-after": "3600", "replay-nonce": "n2" });
        response.end(JSON.stringify({ type: "urn:ietf:params:acme:error:rateLimited", detail: "too many registrations for this IP", status: 429 }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const { outcome } = await order(["x.test"], { ACME_DIRECTORY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dir` });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(outcome).toMatchObject({
        ok: false,
        failure: {
          message: expect.stringMatching(/^The certificate authority's rate limit was reached: try again after \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
          detail: "too many registrations for this IP",
        },
      });
    } finally {
      server.close();
    }
  });
});
