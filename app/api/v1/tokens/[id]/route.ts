import { apiRoute, noContent } from "@/app/api/v1/_lib/respond";
import { revokeApiToken } from "@/lib/auth/api-tokens";

/** Everyone may revoke tokens of their own. */
export const DELETE = apiRoute<{ id: string }>(async ({ principal, params }) => {
  await revokeApiToken(principal.user.id, params.id);
  return noContent();
}, "viewer");
