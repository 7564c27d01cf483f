import { answer } from "../pipeline/answer";
import type { RequestContext } from "../pipeline/request-context";
import type { HttpForwarder } from "../forwarding/http-forwarder";
import type { AnswerCache, FillLease } from "./answer-cache";
import { primaryKey } from "./cache-key";
import { currentAge, freshness, requestFacts, type RequestFacts } from "./cache-policy";
import { serveStored } from "./serve-stored";
import type { StoredAnswer } from "./stored-answer";
import { StoringTap } from "./storing-tap";

/**
 * The final stage of an HTTP request to a site with a cache: answers from the store when RFC 9111
 * allows, else forwards it (one request per missing answer for all workers) and keeps the answer.
 * A site without a cache, and a request a cache does not answer, go straight to the forwarder.
 */
export class CachingForwarder {
  constructor(
    private readonly http: HttpForwarder,
    private readonly cache: AnswerCache,
    private readonly draining: () => boolean,
  ) {}

  readonly forward = (ctx: RequestContext): void => {
    const site = ctx.site!;
    if (site.cache === null) {
      this.http.forward(ctx);
      return;
    }
    const method = ctx.req.method!;
    const target = ctx.req.url ?? "";
    const request = requestFacts(method, ctx.req.headers);
    // Byte ranges go to the upstream whole: this cache keeps whole answers, never parts.
    if (
      (method !== "GET" && method !== "HEAD") ||
      ctx.req.headers.range !== undefined ||
      !target.startsWith("/") ||
      request.cacheControl.has("no-store")
    ) {
      ctx.cache = { status: "BYPASS", bytesSaved: 0 };
      this.http.forward(ctx);
      return;
    }
    const key = primaryKey(ctx.client.scheme ?? ctx.scheme, ctx.req.headers.host ?? "", target);
    if (this.cache.refusedRecently(site.id, key)) {
      this.fetch(ctx, key, request, null, { detached: false });
      return;
    }
    const found = this.cache.lookup(site, key, ctx.req.headers);
    if (found instanceof Promise) {
      found.then(
        (stored) => this.decide(ctx, key, request, stored),
        () => this.decide(ctx, key, request, null),
      );
    } else this.decide(ctx, key, request, found);
  };

  private decide(ctx: RequestContext, key: string, request: RequestFacts, stored: StoredAnswer | null): void {
    if (ctx.reply.done) return;
    if (stored !== null) {
      const verdict = freshness(stored.plan, currentAge(stored.age, Date.now()), request);
      if (verdict === "fresh") {
        this.serve(ctx, stored, "HIT");
        return;
      }
      if (verdict === "stale-while-revalidate") {
        this.serve(ctx, stored, "STALE");
        const done = this.cache.startRevalidation(ctx.site!.id, key);
        if (done !== null) this.fetch(ctx, key, request, stored, { detached: true, done });
        return;
      }
    }
    // RFC 9111 §5.2.1.7: nothing stored that may be used, and the client wants nothing else.
    if (request.cacheControl.has("only-if-cached")) {
      answer(ctx, 504);
      return;
    }
    if (ctx.req.method === "HEAD") {
      ctx.cache = { status: "MISS", bytesSaved: 0 };
      this.http.forward(ctx);
      return;
    }
    this.fill(ctx, key, request, stored);
  }

  /** One request fetches; the others that arrive meanwhile (in any worker) wait for it and look again. */
  private fill(ctx: RequestContext, key: string, request: RequestFacts, stored: StoredAnswer | null): void {
    const siteId = ctx.site!.id;
    this.cache.lease(siteId, key).then(
      (lease) => {
        if (lease !== null) {
          this.fetch(ctx, key, request, stored, { detached: false, lease });
          return;
        }
        const again = this.cache.lookup(ctx.site!, key, ctx.req.headers);
        const after = (now: StoredAnswer | null) => {
          if (ctx.reply.done) return;
          if (now !== null && freshness(now.plan, currentAge(now.age, Date.now()), request) === "fresh") this.serve(ctx, now, "HIT");
          else this.fetch(ctx, key, request, now, { detached: false });
        };
        if (again instanceof Promise) again.then(after, () => after(null));
        else after(again);
      },
      () => this.fetch(ctx, key, request, stored, { detached: false }),
    );
  }

  private fetch(
    ctx: RequestContext,
    key: string,
    request: RequestFacts,
    stored: StoredAnswer | null,
    how: { detached: boolean; lease?: FillLease; done?: () => void },
  ): void {
    const tap = new StoringTap({
      ctx,
      cache: this.cache,
      key,
      request,
      stored,
      lease: how.lease ?? null,
      detached: how.detached,
      draining: this.draining,
      onEnd: how.done,
    });
    this.http.forward(ctx, tap);
  }

  private serve(ctx: RequestContext, stored: StoredAnswer, status: "HIT" | "STALE"): void {
    serveStored(ctx, stored, status, this.draining(), () => this.cache.kept(ctx.site!, stored));
  }
}
