import { apiRoute, json, readJson } from "../_lib/respond";
import { inviteUser, listUsers } from "@/lib/services/users";

export const GET = apiRoute(async () => json(await listUsers()), "admin");

/** `{ email, role }` -> the user and a one-time invite link to hand over (nothing is e-mailed). */
export const POST = apiRoute(async ({ request }) => {
  const { user, inviteToken } = await inviteUser(await readJson(request));
  return json({ ...user, inviteUrl: new URL(`/invite/${inviteToken}`, request.nextUrl.origin).toString() }, 201);
}, "admin");
