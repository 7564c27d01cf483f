import { NextRequest } from "next/server";
import * as tokensRoute from "../app/api/v1/tokens/route";
import { createFirstAdmin } from "../lib/auth/users";

/**
 * Creates the admin in the (temporary) database and an API token through the real tokens route,
 * for route tests. Points PROXY_CONTROL_PORT at a closed port, so a config notification goes nowhere.
 */
export async function adminApiToken(): Promise<string> {
  process.env.PROXY_CONTROL_PORT = "1";
  await createFirstAdmin("admin@example.com", "long enough pw");
  const request = new NextRequest("http://dashboard.local/api/v1/tokens", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@example.com", password: "long enough pw", name: "tests" }),
  });
  const response = await tokensRoute.POST(request, { params: Promise.resolve({}) });
  if (response.status !== 201) throw new Error(`could not create an API token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
