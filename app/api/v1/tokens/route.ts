import type { NextRequest } from "next/server";
import { apiRoute, errorResponse, json, readJson } from "../_lib/respond";
import { validationError } from "@/lib/errors";
import { tokenCreateSchema } from "@/lib/schemas/auth";
import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { checkCredentials } from "@/lib/auth/users";
import { clientIp } from "../_lib/client-ip";

export const GET = apiRoute(async ({ principal }) => json(await listApiTokens(principal.user.id)));

/** Everyone may make tokens of their own, at most with their own role. */
const createWithSession = apiRoute(async ({ request, principal }) => {
  const parsed = tokenCreateSchema.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error);
  return json(await createApiToken(principal.user, parsed.data.name, parsed.data.role), 201);
}, "viewer");

/** With email + password in the body no session is needed: that is how scripts get their first token. */
export async function POST(request: NextRequest, context: { params: Promise<Record<string, never>> }) {
  const body = await request
    .clone()
    .json()
    .catch(() => null);
  const hasCredentials = typeof body === "object" && body !== null && "email" in body && "password" in body;
  if (!hasCredentials) return createWithSession(request, context);
  try {
    const parsed = tokenCreateSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error);
    const user = await checkCredentials({ email: parsed.data.email, password: parsed.data.password, totp: parsed.data.totp }, clientIp(request));
    return json(await createApiToken(user, parsed.data.name, parsed.data.role), 201);
  } catch (error) {
    return errorResponse(error);
  }
}
