import type { NextRequest } from "next/server";
import { errorResponse, json, readJson } from "@/app/api/v1/_lib/respond";
import { acceptInvite } from "@/lib/services/users";

/** `{ password }`: the invite link is the credential, so no sign-in is needed (or possible yet). */
export async function POST(request: NextRequest, context: { params: Promise<{ token: string }> }) {
  try {
    const user = await acceptInvite((await context.params).token, await readJson(request));
    return json({ id: user.id, email: user.email, role: user.role });
  } catch (error) {
    return errorResponse(error);
  }
}
