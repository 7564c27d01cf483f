import type { RequestContext } from "../pipeline/request-context";
import type { ResponseReply } from "../pipeline/reply";
import { responseGone } from "../data-plane/error-pages";
import { headerValue } from "../data-plane/header-list";
import { clientAnswer } from "../forwarding/http-forwarder";
import { encodeWhole } from "../compression/encoder";
import { currentAge } from "./cache-policy";
import { cacheHeaderValue, type CacheStatus } from "./cache-outcome";
import { notModifiedFor, notModifiedHeaders } from "./conditional";
import type { StoredAnswer } from "./stored-answer";

/**
 * Answers the client from a stored answer: the same head a live answer would get (the site's
 * headers, compression), with the cache's Age and X-Cache; a 304 when the client's conditional
 * request matches; the coded body made once per coding and kept with the answer (`kept` is told,
 * so that its budget counts the copy).
 */
export function serveStored(ctx: RequestContext, answer: StoredAnswer, status: CacheStatus, draining: boolean, kept: () => void): void {
  const res = (ctx.reply as ResponseReply).res;
  if (responseGone(res)) return;
  const raw = [...answer.headers, "age", String(Math.floor(currentAge(answer.age, Date.now())))];
  if (ctx.site!.cache!.cacheHeader) raw.push("x-cache", cacheHeaderValue(status));
  const { headers, coding } = clientAnswer(ctx, answer.status, raw, draining);
  const bodyless = ctx.req.method === "HEAD";
  ctx.cache = { status, bytesSaved: 0 };

  if (notModifiedFor(ctx.req.headers, headerValue(headers, "etag"), answer.lastModified)) {
    res.writeHead(304, notModifiedHeaders(headers));
    res.end();
    return;
  }
  if (coding === null) {
    res.writeHead(answer.status, headers);
    res.end(bodyless ? undefined : answer.body);
    if (!bodyless) ctx.cache.bytesSaved = answer.body.length;
    return;
  }
  const send = (coded: Buffer) => {
    if (responseGone(res)) return;
    res.writeHead(answer.status, [...headers, "content-length", String(coded.length)]);
    res.end(bodyless ? undefined : coded);
    if (bodyless) return;
    ctx.cache!.bytesSaved = answer.body.length;
    ctx.coded = { in: answer.body.length, out: coded.length };
  };
  const coded = answer.coded.get(coding);
  if (coded !== undefined) {
    send(coded);
    return;
  }
  encodeWhole(coding, answer.body).then(
    (made) => {
      if (!answer.coded.has(coding)) {
        answer.coded.set(coding, made);
        kept();
      }
      send(made);
    },
    () => res.destroy(),
  );
}
