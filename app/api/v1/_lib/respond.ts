import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { authenticate, type Principal } from "@/lib/auth/authenticate";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { logger } from "@/lib/log";
import { actingAs } from "@/lib/audit/actor";
import { loneSurrogateDetails } from "@/lib/schemas/text";

export interface RouteContext<P> {
  request: NextRequest;
  principal: Principal;
  params: P;
}

type Handler<P> = (context: RouteContext<P>) => Promise<Response>;

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The shape of every API handler: authenticate -> (CSRF check for cookie sessions) -> handler,
 * with every failure turned into the one JSON error shape.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const principal = await authenticate(request.headers.get("authorization"), request.cookies.get(SESSION_COOKIE)?.value);
      if (!principal) throw new AppError("unauthorized", "Sign in, or send an API token as 'Authorization: Bearer <token>'");
      if (principal.via === "session" && MUTATIONS.has(request.method)) assertSameOrigin(request);
      const params = await context.params;
      const actor = principal.via === "token" ? `${principal.user.email} (API)` : principal.user.email;
      return await actingAs(actor, () => handler({ request, principal, params }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.code === "rate_limited" && error.details.retryAfter) headers["retry-after"] = error.details.retryAfter;
    return NextResponse.json(error.toJSON(), { status: error.status, headers });
  }
  logger.error({ err: error }, "API request failed");
  return NextResponse.json(new AppError("internal", "Something went wrong on the server").toJSON(), { status: 500 });
}

/** Reads a JSON body, saying exactly what is wrong when it is not JSON, or not text. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new AppError("validation_failed", "The request body is empty: send a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw new AppError("validation_failed", `The request body is not valid JSON (${reason})`);
  }
  const unreadable = loneSurrogateDetails(body);
  if (Object.keys(unreadable).length > 0) throw new AppError("validation_failed", "Some fields need attention", unreadable);
  return body;
}

export const json = (body: unknown, status = 200): Response => NextResponse.json(body, { status });

export const noContent = (): Response => new Response(null, { status: 204 });

function assertSameOrigin(request: NextRequest): void {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin === null) return; // same-origin fetches from old browsers and non-browser clients
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== host) throw new AppError("forbidden", "Cross-site request refused");
}
