import type { IncomingMessage, ServerResponse } from "node:http";

const CHALLENGE_PATH = /^\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]+)$/;

/** The token of an HTTP-01 request, whatever request-target form the client used; null otherwise. */
export function challengeToken(requestUrl: string | undefined): string | null {
  if (!requestUrl) return null;
  let pathName = requestUrl;
  if (!pathName.startsWith("/")) {
    try {
      pathName = new URL(pathName).pathname;
    } catch {
      return null;
    }
  }
  const query = pathName.indexOf("?");
  if (query !== -1) pathName = pathName.slice(0, query);
  return CHALLENGE_PATH.exec(pathName)?.[1] ?? null;
}

/**
 * Answers HTTP-01 challenges (RFC 8555 section 8.3) from the set the primary sent, for any Host,
 * ahead of routing and redirects: the CA must get the key authorization even for names no site
 * serves yet, or whose site forces HTTPS. Unknown tokens are left to normal routing.
 */
export class AcmeChallengeResponder {
  private tokens = new Map<string, string>();

  /** Replaces the whole set (the primary always sends all of it). */
  replace(challenges: Record<string, string>): void {
    this.tokens = new Map(Object.entries(challenges));
  }

  get size(): number {
    return this.tokens.size;
  }

  /** True when it answered the request. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.tokens.size === 0 || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const token = challengeToken(req.url);
    const keyAuthorization = token === null ? undefined : this.tokens.get(token);
    if (keyAuthorization === undefined) return false;
    res.writeHead(200, {
      "content-type": "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(keyAuthorization),
      "cache-control": "no-store",
    });
    res.end(keyAuthorization);
    return true;
  }
}
