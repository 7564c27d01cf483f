import { hasBody, RequestBody } from "../data-plane/request-body";
import { isInspectableBody, MAX_INSPECTED_BODY_BYTES } from "../security/exploit-detector";
import { ResponseReply } from "./reply";
import type { RequestContext } from "./request-context";
import type { PipelineEnv } from "./pipeline-env";
import { answer, refuse } from "./answer";

/**
 * Puts a request's body, if any, behind a RequestBody that keeps the client to a pace. When the
 * site blocks exploits, the body's first bytes are inspected before the upstream sees anything of
 * the request.
 */
export function readBody(ctx: RequestContext, env: PipelineEnv): boolean | Promise<boolean> {
  if (ctx.kind !== "request" || !hasBody(ctx.req)) return true;
  const site = ctx.site!;
  const inspect = site.protection.blockExploits && isInspectableBody(ctx.req.headers);
  const body = new RequestBody(env.bodyPace, inspect ? MAX_INSPECTED_BODY_BYTES : 0);
  ctx.body = body;
  body.once("stall", () => {
    env.logger.debug({ site: site.id }, "request body too slow");
    answerWithoutBody(ctx, () => answer(ctx, 408));
  });
  ctx.reply.onClose(() => body.destroy());
  ctx.req.pipe(body);
  if (body.held === null) return true;
  return body.held.then(({ prefix, complete }) => {
    if (ctx.reply.done) return false;
    const inspected = prefix.subarray(0, MAX_INSPECTED_BODY_BYTES);
    const match = env.exploits.inspectBody(inspected, ctx.req.headers, complete && inspected.length === prefix.length);
    if (match === null) {
      body.release();
      return true;
    }
    return answerWithoutBody(ctx, () => refuse(ctx, { allowed: false, status: 403, headers: {}, blockedBy: `exploit:${match.ruleId}` }));
  });
}

/** The rest of the body will never be read: the connection cannot carry another request. */
function answerWithoutBody(ctx: RequestContext, send: () => false): false {
  if (ctx.reply instanceof ResponseReply) ctx.reply.res.shouldKeepAlive = false;
  return send();
}
