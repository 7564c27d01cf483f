import { answer } from "./answer";
import type { RequestContext } from "./request-context";

/**
 * A request whose Host no site has, answered as the unknownHost setting says. Before the first
 * config arrives there is no setting yet: 404, as for any unknown name.
 */
export function answerUnknownHost(ctx: RequestContext): false {
  const unknownHost = ctx.runtime?.unknownHost;
  switch (unknownHost?.action) {
    case "redirect":
      // The setting's schema refuses a redirect without an address.
      return answer(ctx, 302, { location: unknownHost.redirectTo! });
    case "drop":
      ctx.reply.drop();
      return false;
    default:
      return answer(ctx, 404, {}, unknownHost?.page);
  }
}
