import { userForApiToken } from "./api-tokens";
import { userForSession, type SessionUser } from "./sessions";

export interface Principal {
  user: SessionUser;
  /** "session" requests are the ones a browser can be tricked into sending: they need CSRF checks. */
  via: "session" | "token";
}

/** A bearer token wins over a cookie; no credentials at all is simply null. */
export async function authenticate(authorization: string | null, sessionToken: string | undefined): Promise<Principal | null> {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    const user = await userForApiToken(bearer);
    return user ? { user, via: "token" } : null;
  }
  const user = await userForSession(sessionToken);
  return user ? { user, via: "session" } : null;
}
