import { describe, expect, it } from "vitest";
import { parseCacheControl, secondsOf } from "./cache-control";
import { currentAge, freshness, mayServeOnError, requestFacts, responseFacts, storeDecision, type StoragePlan } from "./cache-policy";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const DATE = new Date(NOW).toUTCString();
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toUTCString();

const get = (headers: Record<string, string> = {}) => requestFacts("GET", headers);
const answer = (headers: Record<string, string>, status = 200) => responseFacts(status, Object.entries({ date: DATE, ...headers }).flat());
const decide = (
  response: Record<string, string>,
  options: { status?: number; request?: Record<string, string>; method?: string; ttl?: number | null } = {},
) => storeDecision(requestFacts(options.method ?? "GET", options.request ?? {}), answer(response, options.status), options.ttl ?? null);

describe("Cache-Control parsing", () => {
  it("reads names case-insensitively, values with or without quotes, across headers, first value winning", () => {
    const directives = parseCacheControl(['Public, MAX-AGE="60", private="set-cookie, x"', "max-age=5, s-maxage=10"]);
    expect([...directives.keys()]).toEqual(["public", "max-age", "private", "s-maxage"]);
    expect(secondsOf(directives, "max-age")).toBe(60);
    expect(directives.get("private")).toBe("set-cookie, x");
  });

  it("reads an unreadable max-age as stale and caps huge ones", () => {
    expect(secondsOf(parseCacheControl(["max-age=abc"]), "max-age")).toBe(0);
    expect(secondsOf(parseCacheControl(["max-age=-1"]), "max-age")).toBe(0);
    expect(secondsOf(parseCacheControl(["max-age=99999999999999"]), "max-age")).toBe(2 ** 31);
    expect(secondsOf(parseCacheControl(["stale-if-error=x"]), "stale-if-error")).toBe(null);
  });
});

describe("what a shared cache keeps (RFC 9111 §3) and for how long (§4.2.1)", () => {
  it.each([
    ["s-maxage wins over max-age", { "cache-control": "max-age=10, s-maxage=300" }, 300],
    ["max-age", { "cache-control": "max-age=60" }, 60],
    ["max-age wins over Expires", { "cache-control": "max-age=60", expires: ago(-3600) }, 60],
    ["Expires less Date", { expires: ago(-120) }, 120],
    ["an Expires in the past", { expires: ago(60), etag: '"a"' }, 0],
    ["an unreadable Expires is already expired", { expires: "0", etag: '"a"' }, 0],
    ["a tenth of the time since Last-Modified", { "last-modified": ago(1000) }, 100],
    ["the heuristic stops at a day", { "last-modified": ago(100 * 24 * 3600) }, 24 * 3600],
    ["public and no freshness keeps the validator", { "cache-control": "public", etag: '"a"' }, 0],
    ["no-cache keeps it, stale, for revalidation", { "cache-control": "no-cache, max-age=600", etag: '"a"' }, 0],
  ])("%s", (_rule, headers, lifetime) => {
    const decision = decide(headers);
    expect(decision).toMatchObject({ store: true, plan: { lifetimeSeconds: lifetime } });
  });

  it("gives answers that say nothing the site's default time, and only those", () => {
    expect(decide({}, { ttl: 30 })).toMatchObject({ store: true, plan: { lifetimeSeconds: 30 } });
    expect(decide({ "cache-control": "max-age=5" }, { ttl: 30 })).toMatchObject({ plan: { lifetimeSeconds: 5 } });
    expect(decide({}, { ttl: 30, status: 302 })).toMatchObject({ store: false });
  });

  it.each([
    ["a POST", { "cache-control": "max-age=60" }, { method: "POST" }, "only GET answers are kept"],
    ["a request saying no-store", { "cache-control": "max-age=60" }, { request: { "cache-control": "no-store" } }, "the request said no-store"],
    ["an answer saying no-store", { "cache-control": "no-store, max-age=60" }, {}, "the answer said no-store"],
    ["a private answer", { "cache-control": "private, max-age=60" }, {}, "the answer is private"],
    ["Vary: *", { "cache-control": "max-age=60", vary: "*" }, {}, "the answer varies on everything (Vary: *)"],
    ["an answer setting a cookie", { "cache-control": "max-age=60", "set-cookie": "sid=1" }, {}, "the answer sets a cookie"],
    [
      "a request with credentials",
      { "cache-control": "max-age=60" },
      { request: { authorization: "Bearer x" } },
      "the request carried credentials and the answer did not say it may be shared",
    ],
    ["a 500", { "cache-control": "max-age=60" }, { status: 500 }, "status 500 is not kept"],
    ["a 206", { "cache-control": "max-age=60" }, { status: 206 }, "status 206 is not kept"],
    ["a 302 without freshness", { "last-modified": ago(1000) }, { status: 302 }, "status 302 is not kept"],
    ["an answer saying nothing", {}, {}, "the answer says nothing about how long it stays fresh"],
    ["a stale answer without validator", { "cache-control": "max-age=0" }, {}, "the answer is stale at once and has no validator"],
  ])("never keeps %s", (_what, headers, options, reason) => {
    expect(decide(headers, options)).toEqual({ store: false, reason });
  });

  it.each([
    ["public", "public, max-age=60"],
    ["s-maxage", "s-maxage=60"],
    ["must-revalidate", "must-revalidate, max-age=60"],
  ])("keeps an answer to a request with credentials when it says %s", (_what, cacheControl) => {
    expect(decide({ "cache-control": cacheControl }, { request: { authorization: "Basic eDp5" } }).store).toBe(true);
  });

  it("keeps a 302 or 307 that says how long, and a 404 on the heuristic", () => {
    expect(decide({ "cache-control": "max-age=60" }, { status: 307 }).store).toBe(true);
    expect(decide({ "last-modified": ago(1000) }, { status: 404 }).store).toBe(true);
  });

  it("reads stale-while-revalidate and stale-if-error, and ignores them under must-revalidate or s-maxage", () => {
    expect(decide({ "cache-control": "max-age=1, stale-while-revalidate=30, stale-if-error=600" })).toMatchObject({
      plan: { staleWhileRevalidateSeconds: 30, staleIfErrorSeconds: 600, mustRevalidate: false },
    });
    for (const strict of ["must-revalidate", "proxy-revalidate", "s-maxage=1"]) {
      expect(decide({ "cache-control": `max-age=1, stale-while-revalidate=30, stale-if-error=600, ${strict}` })).toMatchObject({
        plan: { staleWhileRevalidateSeconds: 0, staleIfErrorSeconds: 0, mustRevalidate: true },
      });
    }
  });
});

describe("age (RFC 9111 §4.2.3)", () => {
  it("counts the Age header, the time in transit and the time stored", () => {
    expect(currentAge({ requestTime: NOW - 2000, responseTime: NOW, date: NOW, age: 10 }, NOW + 5000)).toBe(17);
  });

  it("takes a Date in the past as age already spent, and ignores a Date in the future", () => {
    expect(currentAge({ requestTime: NOW, responseTime: NOW, date: NOW - 30_000, age: 0 }, NOW)).toBe(30);
    expect(currentAge({ requestTime: NOW, responseTime: NOW, date: NOW + 30_000, age: 0 }, NOW)).toBe(0);
  });
});

describe("serving a stored answer (RFC 9111 §4.2, §5.2.1; RFC 5861)", () => {
  const plan = (extra: Partial<StoragePlan> = {}): StoragePlan => ({
    lifetimeSeconds: 60,
    staleWhileRevalidateSeconds: 0,
    staleIfErrorSeconds: 0,
    mustRevalidate: false,
    ...extra,
  });

  it.each([
    ["fresh", plan(), 59, {}, "fresh"],
    ["just stale", plan(), 60, {}, "revalidate"],
    ["stale within stale-while-revalidate", plan({ staleWhileRevalidateSeconds: 30 }), 80, {}, "stale-while-revalidate"],
    ["stale past stale-while-revalidate", plan({ staleWhileRevalidateSeconds: 30 }), 91, {}, "revalidate"],
    ["no-cache in the request", plan(), 1, { "cache-control": "no-cache" }, "revalidate"],
    ["Pragma: no-cache alone", plan(), 1, { pragma: "no-cache" }, "revalidate"],
    ["Pragma: no-cache beside Cache-Control", plan(), 1, { pragma: "no-cache", "cache-control": "max-stale" }, "fresh"],
    ["the request's max-age exceeded", plan(), 11, { "cache-control": "max-age=10" }, "revalidate"],
    ["the request's max-age kept", plan(), 9, { "cache-control": "max-age=10" }, "fresh"],
    ["min-fresh not met", plan(), 55, { "cache-control": "min-fresh=10" }, "revalidate"],
    ["max-stale allows it", plan(), 70, { "cache-control": "max-stale=20" }, "fresh"],
    ["max-stale without a limit", plan(), 7000, { "cache-control": "max-stale" }, "fresh"],
    ["max-stale exceeded", plan(), 90, { "cache-control": "max-stale=20" }, "revalidate"],
    ["must-revalidate beats max-stale", plan({ mustRevalidate: true }), 70, { "cache-control": "max-stale" }, "revalidate"],
  ] as const)("%s", (_what, stored, age, request, expected) => {
    expect(freshness(stored, age, get(request))).toBe(expected);
  });

  it("stands in for a failed upstream within stale-if-error, the answer's or the request's, unless it must revalidate", () => {
    expect(mayServeOnError(plan({ staleIfErrorSeconds: 600 }), 600, get())).toBe(true);
    expect(mayServeOnError(plan({ staleIfErrorSeconds: 600 }), 661, get())).toBe(false);
    expect(mayServeOnError(plan(), 100, get({ "cache-control": "stale-if-error=60" }))).toBe(true);
    expect(mayServeOnError(plan(), 61, get())).toBe(false);
    expect(mayServeOnError(plan({ staleIfErrorSeconds: 600, mustRevalidate: true }), 100, get())).toBe(false);
  });
});
