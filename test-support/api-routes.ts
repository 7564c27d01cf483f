import { NextRequest } from "next/server";
import * as tokensRoute from "../app/api/v1/tokens/route";
import { createFirstAdmin } from "../lib/auth/users";

/** A Next route handler as the app exports it. */
export type RouteHandler<P> = (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>;

export interface RouteCall {
  body?: unknown;
  /** Sent as it is, instead of `body` as JSON. */
  rawBody?: string;
  /** The bearer token to send; none without it. */
  token?: string;
  headers?: Record<string, string>;
}

/** Calls a route handler directly, with a request as the dashboard's HTTP server would build it. */
export function callRoute<P>(handler: RouteHandler<P>, method: string, path: string, call: RouteCall = {}, params = {} as P) {
  const headers: Record<string, string> = { "content-type": "application/json", ...call.headers };
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const request = new NextRequest(new URL(path, "http://dashboard.local"), { method, headers, body });
  return handler(request, { params: Promise.resolve(params) });
}

/** The `{error}` of an API answer, with its status. */
export async function apiError(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; details: Record<string, string> } };
  return { status: response.status, ...body.error };
}

/**
 * Creates the admin in the (temporary) database and an API token through the real tokens route,
 * for route tests. Points PROXY_CONTROL_PORT at a closed port, so a config notification goes nowhere.
 */
export async function adminApiToken(): Promise<string> {
  process.env.PROXY_CONTROL_PORT = "1";
  await createFirstAdmin("admin@example.com", "long enough pw");
  const response = await callRoute(tokensRoute.POST, "POST", "/api/v1/tokens", {
    body: { email: "admin@example.com", password: "long enough pw", name: "tests" },
  });
  if (response.status !== 201) throw new Error(`could not create an API token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
