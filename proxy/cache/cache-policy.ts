import type { HeaderList } from "../data-plane/header-list";
import { type Directives, parseCacheControl, secondsOf } from "./cache-control";

/**
 * Statuses a shared cache here keeps (RFC 9110 §15.1's "heuristically cacheable" ones, less 206,
 * whose parts this cache does not assemble, plus the temporary redirects when they say how long).
 */
const HEURISTIC_STATUSES: ReadonlySet<number> = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]);
const EXPLICIT_ONLY_STATUSES: ReadonlySet<number> = new Set([302, 307]);

/** RFC 9111 §4.2.2: a tenth of the time since the last change, as the usual heuristic; at most a day. */
const HEURISTIC_FRACTION = 0.1;
const MAX_HEURISTIC_SECONDS = 24 * 60 * 60;

/** What the rules read of an upstream's answer, taken from its headers once. */
export interface ResponseFacts {
  status: number;
  cacheControl: Directives;
  /** Epoch ms, or null when absent or unreadable. */
  date: number | null;
  expires: number | null;
  /** An Expires that is present but unreadable means "already expired" (RFC 9111 §5.3). */
  expiresInvalid: boolean;
  lastModified: number | null;
  /** Last-Modified as the upstream wrote it: what a revalidation sends back. */
  lastModifiedText: string | null;
  /** The upstream's own coding of the body, if any. */
  contentEncoding: string | null;
  /** The Age header in seconds, 0 when absent. */
  age: number;
  etag: string | null;
  vary: string[];
  setsCookie: boolean;
}

export function responseFacts(status: number, headers: HeaderList): ResponseFacts {
  const cacheControl: string[] = [];
  const vary: string[] = [];
  const facts: ResponseFacts = {
    status,
    cacheControl: new Map(),
    date: null,
    expires: null,
    expiresInvalid: false,
    lastModified: null,
    lastModifiedText: null,
    contentEncoding: null,
    age: 0,
    etag: null,
    vary,
    setsCookie: false,
  };
  for (let index = 0; index + 1 < headers.length; index += 2) {
    const value = headers[index + 1]!;
    switch (headers[index]) {
      case "cache-control":
        cacheControl.push(value);
        break;
      case "date":
        facts.date = httpDate(value);
        break;
      case "expires":
        facts.expires = httpDate(value);
        facts.expiresInvalid = facts.expires === null;
        break;
      case "last-modified":
        facts.lastModified = httpDate(value);
        facts.lastModifiedText = value;
        break;
      case "content-encoding":
        facts.contentEncoding = value;
        break;
      case "age":
        facts.age = /^\d+$/.test(value.trim()) ? Number(value.trim()) : 0;
        break;
      case "etag":
        facts.etag = value;
        break;
      case "vary":
        for (const name of value.split(",")) if (name.trim() !== "") vary.push(name.trim().toLowerCase());
        break;
      case "set-cookie":
        facts.setsCookie = true;
        break;
    }
  }
  facts.cacheControl = parseCacheControl(cacheControl);
  return facts;
}

/** What the cache knows about a request when it decides. */
export interface RequestFacts {
  method: string;
  cacheControl: Directives;
  /** Pragma: no-cache without any Cache-Control (RFC 9111 §5.4). */
  pragmaNoCache: boolean;
  hasAuthorization: boolean;
}

export function requestFacts(method: string, headers: Record<string, string | string[] | undefined>): RequestFacts {
  const cacheControl = headers["cache-control"];
  const values = cacheControl === undefined ? [] : Array.isArray(cacheControl) ? cacheControl : [cacheControl];
  const pragma = headers.pragma;
  return {
    method,
    cacheControl: parseCacheControl(values),
    pragmaNoCache: values.length === 0 && typeof pragma === "string" && /(?:^|,)\s*no-cache\s*(?:,|$)/i.test(pragma),
    hasAuthorization: headers.authorization !== undefined,
  };
}

/** How a stored answer may be used: decided once, when it is stored. */
export interface StoragePlan {
  /** Seconds it is fresh for, from its generation (its Age counts against it). */
  lifetimeSeconds: number;
  /** May be served stale while one request revalidates it (stale-while-revalidate), for this long. */
  staleWhileRevalidateSeconds: number;
  /** May be served stale when the upstream fails (stale-if-error), for this long. */
  staleIfErrorSeconds: number;
  /** Never served stale (must-revalidate, proxy-revalidate, s-maxage). */
  mustRevalidate: boolean;
}

export type StoreDecision = { store: true; plan: StoragePlan } | { store: false; reason: string };

/**
 * Whether a shared cache may keep this answer to this request (RFC 9111 §3), and for how long it
 * is fresh (§4.2.1). `defaultTtlSeconds` is the site's freshness for answers that say nothing
 * about it and are cacheable by default; without it, such an answer is kept only on the
 * Last-Modified heuristic. An answer that is kept but stale at once (no-cache, max-age=0) is
 * kept only when it has a validator, so that the next request can be a cheap revalidation.
 */
export function storeDecision(request: RequestFacts, response: ResponseFacts, defaultTtlSeconds: number | null): StoreDecision {
  const cc = response.cacheControl;
  if (request.method !== "GET") return refuse("only GET answers are kept");
  if (request.cacheControl.has("no-store")) return refuse("the request said no-store");
  if (cc.has("no-store")) return refuse("the answer said no-store");
  if (cc.has("private")) return refuse("the answer is private");
  if (response.vary.includes("*")) return refuse("the answer varies on everything (Vary: *)");
  // A shared cache handing one visitor's cookie to the next is a session leak, whatever the answer says.
  if (response.setsCookie) return refuse("the answer sets a cookie");
  if (request.hasAuthorization && !cc.has("public") && !cc.has("s-maxage") && !cc.has("must-revalidate")) {
    return refuse("the request carried credentials and the answer did not say it may be shared");
  }
  const explicit = explicitLifetime(response);
  if (
    explicit === null
      ? !HEURISTIC_STATUSES.has(response.status)
      : !HEURISTIC_STATUSES.has(response.status) && !EXPLICIT_ONLY_STATUSES.has(response.status)
  ) {
    return refuse(`status ${response.status} is not kept`);
  }
  let lifetimeSeconds = explicit ?? defaultTtlSeconds ?? heuristicLifetime(response);
  if (cc.has("no-cache")) lifetimeSeconds = 0;
  if (lifetimeSeconds <= 0 && response.etag === null && response.lastModified === null) {
    return refuse(
      explicit === null && defaultTtlSeconds === null
        ? "the answer says nothing about how long it stays fresh"
        : "the answer is stale at once and has no validator",
    );
  }
  const mustRevalidate = cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage");
  return {
    store: true,
    plan: {
      lifetimeSeconds: Math.max(0, lifetimeSeconds),
      staleWhileRevalidateSeconds: mustRevalidate ? 0 : (secondsOf(cc, "stale-while-revalidate") ?? 0),
      staleIfErrorSeconds: mustRevalidate ? 0 : (secondsOf(cc, "stale-if-error") ?? 0),
      mustRevalidate,
    },
  };
}

const refuse = (reason: string): StoreDecision => ({ store: false, reason });

/** s-maxage, then max-age, then Expires less Date (RFC 9111 §4.2.1); null when the answer gives none. */
function explicitLifetime(response: ResponseFacts): number | null {
  const shared = secondsOf(response.cacheControl, "s-maxage");
  if (shared !== null) return shared;
  const maxAge = secondsOf(response.cacheControl, "max-age");
  if (maxAge !== null) return maxAge;
  if (response.expiresInvalid) return 0;
  if (response.expires !== null) return Math.max(0, Math.floor((response.expires - (response.date ?? Date.now())) / 1000));
  return null;
}

function heuristicLifetime(response: ResponseFacts): number {
  if (response.lastModified === null) return 0;
  const since = ((response.date ?? Date.now()) - response.lastModified) / 1000;
  return Math.min(MAX_HEURISTIC_SECONDS, Math.max(0, Math.floor(since * HEURISTIC_FRACTION)));
}

/** When an answer was asked for and received, and what its headers said of its age: enough to age it (RFC 9111 §4.2.3). */
export interface AgeFacts {
  requestTime: number;
  responseTime: number;
  date: number | null;
  age: number;
}

/** Seconds since the answer was generated upstream, as the cache reckons it now. */
export function currentAge(entry: AgeFacts, now: number): number {
  const apparentAge = Math.max(0, (entry.responseTime - (entry.date ?? entry.responseTime)) / 1000);
  const correctedAge = entry.age + (entry.responseTime - entry.requestTime) / 1000;
  return Math.max(apparentAge, correctedAge) + (now - entry.responseTime) / 1000;
}

/** What to do with a stored answer for a request. */
export type Freshness =
  /** Serve it. */
  | "fresh"
  /** Serve it stale, and revalidate it in the background. */
  | "stale-while-revalidate"
  /** Ask the upstream first (conditionally, with its validators). */
  | "revalidate";

/**
 * RFC 9111 §4.2 and §5.2.1: a stored answer is served when fresh and the request's own limits
 * (max-age, min-fresh, max-stale, no-cache) allow; stale within its stale-while-revalidate time
 * it is served while one request refreshes it; otherwise it is revalidated.
 */
export function freshness(plan: StoragePlan, ageSeconds: number, request: RequestFacts): Freshness {
  const cc = request.cacheControl;
  if (cc.has("no-cache") || request.pragmaNoCache) return "revalidate";
  const requestMaxAge = secondsOf(cc, "max-age");
  if (requestMaxAge !== null && ageSeconds > requestMaxAge) return "revalidate";
  const minFresh = secondsOf(cc, "min-fresh") ?? 0;
  const fresh = plan.lifetimeSeconds - ageSeconds;
  if (fresh > 0) return fresh > minFresh ? "fresh" : "revalidate";
  if (plan.mustRevalidate) return "revalidate";
  const staleFor = -fresh;
  if (cc.has("max-stale")) {
    const maxStale = secondsOf(cc, "max-stale");
    if (maxStale === null || staleFor <= maxStale) return "fresh";
  }
  if (plan.staleWhileRevalidateSeconds > 0 && staleFor <= plan.staleWhileRevalidateSeconds) return "stale-while-revalidate";
  return "revalidate";
}

/** Whether a stale answer may stand in for an upstream that failed (stale-if-error, RFC 5861 §4). */
export function mayServeOnError(plan: StoragePlan, ageSeconds: number, request: RequestFacts): boolean {
  if (plan.mustRevalidate) return false;
  const requestLimit = secondsOf(request.cacheControl, "stale-if-error");
  const allowed = Math.max(plan.staleIfErrorSeconds, requestLimit ?? 0);
  return ageSeconds - plan.lifetimeSeconds <= allowed;
}

/** An HTTP date (IMF-fixdate, and the obsolete forms Date.parse reads), or null. */
function httpDate(value: string): number | null {
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}
