import { apiRoute, json } from "../_lib/respond";
import { endAllSessions } from "@/lib/auth/sessions";

/** "Sign out everywhere": ends every dashboard session of the caller (API tokens stay). */
export const DELETE = apiRoute(async ({ principal }) => json({ ended: await endAllSessions(principal.user.id) }), "viewer");
