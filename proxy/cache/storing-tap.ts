import type { AnswerTap, TappedHead } from "../forwarding/answer-tap";
import { headerValue, type HeaderList } from "../data-plane/header-list";
import type { RequestContext } from "../pipeline/request-context";
import type { AnswerCache, FillLease } from "./answer-cache";
import { variantKey } from "./cache-key";
import { currentAge, mayServeOnError, responseFacts, storeDecision, type RequestFacts, type ResponseFacts, type StoragePlan } from "./cache-policy";
import { notModifiedFor, notModifiedHeaders, withValidators } from "./conditional";
import { serveStored } from "./serve-stored";
import type { StoredAnswer } from "./stored-answer";

/** Never stored: they describe one connection or one framing, or the cache says its own (Age). */
const NOT_STORED: ReadonlySet<string> = new Set(["age", "connection", "keep-alive", "transfer-encoding", "content-length", "x-cache"]);
/** What a 304 may not change about the stored answer (RFC 9111 §3.2). */
const NOT_UPDATED: ReadonlySet<string> = new Set([...NOT_STORED, "content-encoding", "content-range", "etag"]);

export interface StoringTapOptions {
  ctx: RequestContext;
  cache: AnswerCache;
  key: string;
  request: RequestFacts;
  /** The stored answer being revalidated; null for a miss. */
  stored: StoredAnswer | null;
  lease: FillLease | null;
  /** The client has its (stale) answer already. */
  detached: boolean;
  draining: () => boolean;
  /** Told once when the fetch is over, however it ended. */
  onEnd?: () => void;
}

/**
 * The cache's part in a request forwarded to the upstream: asks with the stored answer's
 * validators, keeps the answer when RFC 9111 allows, answers from the store when the upstream
 * confirms it (304) or fails (stale-if-error), and lets the requests waiting on this fetch go.
 */
export class StoringTap implements AnswerTap {
  readonly detached: boolean;
  private readonly requestTime = Date.now();
  private chunks: Buffer[] | null = null;
  private length = 0;
  private keeping: { status: number; headers: string[]; facts: ResponseFacts; plan: StoragePlan; responseTime: number } | null = null;
  private headSeen = false;
  private ended = false;

  constructor(private readonly o: StoringTapOptions) {
    this.detached = o.detached;
  }

  requestHeaders(headers: HeaderList): HeaderList {
    return withValidators(headers, this.o.stored);
  }

  head(status: number, raw: readonly Buffer[], clientHeaders: HeaderList): TappedHead | "answered" | null {
    this.headSeen = true;
    const { ctx, stored, request } = this.o;
    const site = ctx.site!;
    const responseTime = Date.now();
    const headers = upstreamHeaders(raw);
    if (stored !== null && status === 304) {
      const freshened = this.freshen(stored, headers, responseTime);
      if (!this.detached)
        serveStored(ctx, freshened ?? stored, "REVALIDATED", this.o.draining(), () => freshened && this.o.cache.kept(site, freshened));
      return null;
    }
    if (stored !== null && status >= 500 && mayServeOnError(stored.plan, currentAge(stored.age, responseTime), request)) {
      this.end(null);
      if (!this.detached) serveStored(ctx, stored, "STALE", this.o.draining(), () => this.o.cache.kept(site, stored));
      return "answered";
    }
    const facts = responseFacts(status, headers);
    const decision = storeDecision(request, facts, site.cache!.defaultTtlSeconds);
    if (decision.store && ctx.req.method === "GET") {
      this.chunks = [];
      this.keeping = { status, headers: storedHeaders(headers), facts, plan: decision.plan, responseTime };
    } else {
      // Another request's answer could not be this one: the requests waiting go ahead now.
      if (stored !== null) this.o.cache.forget(site.id, stored);
      if (!decision.store) this.o.cache.refuse(site.id, this.o.key);
      this.end(null);
    }
    if (this.detached) return this.chunks === null ? null : { status, headers: clientHeaders, clientBody: false };
    ctx.cache = { status: "MISS", bytesSaved: 0 };
    const sent = site.cache!.cacheHeader ? [...clientHeaders, "x-cache", "MISS"] : clientHeaders;
    if (status === 200 && notModifiedFor(ctx.req.headers, headerValue(sent, "etag"), facts.lastModifiedText)) {
      return { status: 304, headers: notModifiedHeaders(sent), clientBody: false };
    }
    return { status, headers: sent, clientBody: true };
  }

  data(chunk: Buffer): void {
    if (this.chunks === null) return;
    this.length += chunk.length;
    const cache = this.o.ctx.site!.cache!;
    // Larger than anywhere could keep it: stop holding on to it.
    if (this.length > Math.max(cache.memoryBytes, cache.diskBytes)) {
      this.chunks = null;
      this.end(null);
      return;
    }
    this.chunks.push(chunk);
  }

  complete(): void {
    if (this.chunks === null || this.keeping === null) {
      this.end(null);
      return;
    }
    const { ctx, key, cache } = this.o;
    const site = ctx.site!;
    const { status, headers, facts, plan, responseTime } = this.keeping;
    const varyNames = keyedVary(facts);
    const body = Buffer.concat(this.chunks, this.length);
    this.chunks = null;
    const answer: StoredAnswer = {
      kind: "answer",
      key,
      variant: variantKey(varyNames, ctx.req.headers, site.compression?.codings ?? []),
      status,
      headers: [...headers, "content-length", String(body.length)],
      body,
      plan,
      age: { requestTime: this.requestTime, responseTime, date: facts.date, age: facts.age },
      etag: facts.etag,
      lastModified: facts.lastModifiedText,
      coded: new Map(),
    };
    this.end(cache.store(site, answer, varyNames));
  }

  failed(): boolean {
    const { ctx, stored, request } = this.o;
    this.end(null);
    if (this.headSeen || stored === null || this.detached) return false;
    if (!mayServeOnError(stored.plan, currentAge(stored.age, Date.now()), request)) return false;
    serveStored(ctx, stored, "STALE", this.o.draining(), () => this.o.cache.kept(ctx.site!, stored));
    return true;
  }

  /** The stored answer with the 304's headers (RFC 9111 §4.3.4), kept again; null when it may no longer be kept. */
  private freshen(stored: StoredAnswer, update: string[], responseTime: number): StoredAnswer | null {
    const { ctx, cache, request } = this.o;
    const site = ctx.site!;
    const replaced = new Set<string>();
    for (let index = 0; index + 1 < update.length; index += 2) if (!NOT_UPDATED.has(update[index]!)) replaced.add(update[index]!);
    const headers: string[] = [];
    for (let index = 0; index + 1 < stored.headers.length; index += 2) {
      if (!replaced.has(stored.headers[index]!)) headers.push(stored.headers[index]!, stored.headers[index + 1]!);
    }
    for (let index = 0; index + 1 < update.length; index += 2) if (replaced.has(update[index]!)) headers.push(update[index]!, update[index + 1]!);
    const facts = responseFacts(stored.status, headers);
    const updateFacts = responseFacts(304, update);
    const decision = storeDecision(request, facts, site.cache!.defaultTtlSeconds);
    if (!decision.store) {
      cache.forget(site.id, stored);
      this.end(null);
      return null;
    }
    const freshened: StoredAnswer = {
      ...stored,
      headers,
      plan: decision.plan,
      age: { requestTime: this.requestTime, responseTime, date: updateFacts.date, age: updateFacts.age },
      coded: stored.coded,
    };
    this.end(cache.store(site, freshened, keyedVary(facts)));
    return freshened;
  }

  /** The fetch is over for the requests waiting on it; once. */
  private end(written: ReturnType<AnswerCache["store"]> | null): void {
    if (this.ended) return;
    this.ended = true;
    if (this.o.lease !== null) this.o.lease.release(written);
    else if (written !== null) this.o.cache.reportWritten(this.o.ctx.site!.id, this.o.key, written);
    this.o.onEnd?.();
  }
}

/**
 * The request headers that pick this answer among the key's. Accept-Encoding counts only when the
 * upstream coded the body itself: an uncoded body is the same for every client, and the proxy
 * codes it for each on the way out.
 */
function keyedVary(facts: ResponseFacts): string[] {
  return facts.vary.filter((name) => name !== "accept-encoding" || facts.contentEncoding !== null);
}

function upstreamHeaders(raw: readonly Buffer[]): string[] {
  const headers: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2)
    headers.push(raw[index]!.toString("latin1").toLowerCase(), raw[index + 1]!.toString("latin1"));
  return headers;
}

function storedHeaders(headers: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < headers.length; index += 2) if (!NOT_STORED.has(headers[index]!)) kept.push(headers[index]!, headers[index + 1]!);
  return kept;
}
