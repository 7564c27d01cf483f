import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startBackend, type Backend } from "@/test-support/backend";
import { TestCertificateFactory } from "@/test-support/certs";
import { eventually } from "@/test-support/proxy-process";
import { startSwitchableBackend, type SwitchableBackend } from "@/test-support/switchable-backend";
import { ActiveChecker, type CheckReport } from "./active-checker";
import type { CheckSettings } from "./health-targets";
import { checkUrl, probe } from "./probe";

let backend: SwitchableBackend;
const checkers: ActiveChecker[] = [];

beforeEach(async () => {
  backend = await startSwitchableBackend("checked");
});
afterEach(async () => {
  for (const checker of checkers.splice(0)) checker.stop();
  await backend.close();
});

function settings(overrides: Partial<CheckSettings> = {}): CheckSettings {
  return {
    url: backend.url,
    path: "/health",
    intervalMs: 40,
    timeoutMs: 500,
    expectedStatus: { from: 200, to: 399 },
    healthyThreshold: 2,
    unhealthyThreshold: 3,
    verifyTls: true,
    ...overrides,
  };
}

function startChecker(overrides: Partial<CheckSettings> = {}): { checker: ActiveChecker; reports: CheckReport[] } {
  const reports: CheckReport[] = [];
  const checker = new ActiveChecker(backend.url, settings(overrides), { onCheck: (report) => reports.push(report) });
  checkers.push(checker);
  checker.start();
  return { checker, reports };
}

const never = new AbortController().signal;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one check", () => {
  it("passes on a status inside the expected range and measures the latency", async () => {
    backend.answer(302);
    const result = await probe(settings(), never);
    expect(result).toEqual({ ok: true, status: 302, latencyMs: expect.any(Number), message: null });
  });

  it("fails on a status outside the expected range, saying which was expected", async () => {
    backend.answer(204);
    expect(await probe(settings({ expectedStatus: { from: 200, to: 200 } }), never)).toMatchObject({
      ok: false,
      status: 204,
      message: "Answered HTTP 204 (expected 200)",
    });
    backend.answer(503);
    expect(await probe(settings(), never)).toMatchObject({ ok: false, status: 503, message: "Answered HTTP 503 (expected 200-399)" });
  });

  it("gives up after the timeout", async () => {
    backend.delay(2_000);
    const started = Date.now();
    const result = await probe(settings({ timeoutMs: 150 }), never);
    expect(result).toEqual({ ok: false, status: null, latencyMs: null, message: "No answer within 150 ms" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await probe(settings({ timeoutMs: 1_000 }), AbortSignal.timeout(100))).message).toBe("Check stopped");
  });

  it("keeps a path prefix of the upstream URL", async () => {
    await probe(settings({ url: `${backend.url}/app`, path: "/health?full=1" }), never);
    await probe(settings({ url: `${backend.url}/app`, path: "/" }), never);
    await probe(settings({ path: "/" }), never);
    expect(backend.requests).toEqual(["/app/health?full=1", "/app/", "/"]);
    expect(checkUrl({ url: "https://10.0.0.5:8443/base", path: "/up" }).href).toBe("https://10.0.0.5:8443/base/up");
  });

  it("says in plain words that a stopped upstream refuses connections", async () => {
    await backend.stop();
    expect(await probe(settings(), never)).toEqual({ ok: false, status: null, latencyMs: null, message: "Connection refused" });
  });

  describe("over HTTPS", () => {
    let certs: TestCertificateFactory;
    let secure: Backend;
    beforeAll(async () => {
      certs = new TestCertificateFactory();
      secure = await startBackend({ name: "secure", tls: certs.selfSigned(["localhost"]) });
    });
    afterAll(async () => {
      await secure?.close();
      certs?.cleanup();
    });

    it("verifies the upstream's certificate only when the site asks for it", async () => {
      const verified = await probe(settings({ url: secure.url, verifyTls: true }), never);
      expect(verified).toMatchObject({ ok: false, message: expect.stringMatching(/self-signed/) });
      expect(await probe(settings({ url: secure.url, verifyTls: false }), never)).toMatchObject({ ok: true, status: 200 });
    });
  });
});

describe("active checker", () => {
  it("is unknown until the first check, then follows the thresholds of consecutive results", async () => {
    const { checker, reports } = startChecker();
    expect(checker.state).toBe("unknown");
    await eventually(
      async () => checker.state,
      (state) => state === "up",
    );
    expect(reports[0]).toMatchObject({ previous: "unknown", state: "up", result: { ok: true, status: 200 } });

    backend.answer(500);
    await eventually(
      async () => checker.state,
      (state) => state === "down",
    );
    backend.answer(200);
    await eventually(
      async () => checker.state,
      (state) => state === "up",
    );
    checker.stop();

    const states = reports.map((report) => `${report.result.ok ? "pass" : "fail"}:${report.state}`);
    const firstFailure = states.indexOf("fail:up");
    // Up through two failures; down on the third in a row (unhealthyThreshold 3).
    expect(states.slice(firstFailure, firstFailure + 3)).toEqual(["fail:up", "fail:up", "fail:down"]);
    const firstPass = states.indexOf("pass:down");
    // Down through one pass; up on the second in a row (healthyThreshold 2).
    expect(states.slice(firstPass, firstPass + 2)).toEqual(["pass:down", "pass:up"]);
    expect(reports.at(-1)?.result.latencyMs).toEqual(expect.any(Number));
  });

  it("needs the results in a row: a different one in between starts the count again", async () => {
    backend.script([200, 500, 200, 500, 200, 500, 500, 200, 500, 200, 200]);
    const { checker, reports } = startChecker({ unhealthyThreshold: 2, healthyThreshold: 2 });
    await eventually(
      async () => reports.length,
      (count) => count >= 11,
    );
    checker.stop();
    expect(reports.slice(0, 11).map((report) => report.state)).toEqual(["up", "up", "up", "up", "up", "up", "down", "down", "down", "down", "up"]);
  });

  it("starts from a given verdict, so a replacement needs the thresholds to change it", async () => {
    const reports: CheckReport[] = [];
    const checker = new ActiveChecker(backend.url, settings({ healthyThreshold: 3 }), {
      initialState: "down",
      onCheck: (report) => reports.push(report),
    });
    checkers.push(checker);
    checker.start();
    await eventually(
      async () => checker.state,
      (state) => state === "up",
    );
    expect(reports.slice(0, 3).map((report) => report.state)).toEqual(["down", "down", "up"]);
  });

  it("stops with its AbortController: the check in flight is cut and nothing is reported after", async () => {
    backend.delay(1_000);
    const { checker, reports } = startChecker({ timeoutMs: 2_000, intervalMs: 2_000 });
    await eventually(
      async () => backend.requests.length,
      (count) => count === 1,
    );
    checker.stop();
    await eventually(
      async () => backend.abandoned(),
      (count) => count === 1,
      { timeoutMs: 500 },
    );
    await sleep(300);
    expect(checker.stopped).toBe(true);
    expect(reports).toEqual([]);
    expect(backend.requests).toHaveLength(1);
    expect(checker.state).toBe("unknown");
  });

  it("checks once per interval, not more", async () => {
    const { checker } = startChecker({ intervalMs: 200 });
    await sleep(700);
    checker.stop();
    // At 0, 200, 400 and 600 ms.
    expect(backend.requests.length).toBeGreaterThanOrEqual(3);
    expect(backend.requests.length).toBeLessThanOrEqual(4);
  });
});
