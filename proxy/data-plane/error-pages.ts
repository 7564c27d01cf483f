import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { endSocket } from "./end-socket";

interface Page {
  title: string;
  message: string;
}

// Deliberately generic: no upstream names, no stack traces, no product name or version.
const PAGES: Record<number, Page> = {
  400: { title: "Bad Request", message: "The request could not be understood." },
  401: { title: "Unauthorized", message: "This website needs a username and password." },
  403: { title: "Forbidden", message: "You are not allowed to visit this page." },
  404: { title: "Not Found", message: "There is no website at this address." },
  405: { title: "Method Not Allowed", message: "This request method is not allowed here." },
  408: { title: "Request Timeout", message: "The request took too long to arrive." },
  429: { title: "Too Many Requests", message: "Too many requests from your address. Please wait a moment and try again." },
  431: { title: "Request Header Fields Too Large", message: "The request headers are too large." },
  500: { title: "Internal Server Error", message: "Something went wrong while handling this request." },
  502: { title: "Bad Gateway", message: "The website is not reachable right now. Please try again in a moment." },
  503: {
    title: "Service Unavailable",
    message: "This website is not available right now. Please try again in a moment.",
  },
  504: { title: "Gateway Timeout", message: "The website took too long to answer. Please try again in a moment." },
};

const FALLBACK_PAGE: Page = { title: "Error", message: "The request could not be completed." };

function pageFor(status: number): Page {
  return PAGES[status] ?? FALLBACK_PAGE;
}

/** The proxy's own page; `heading` and `message` are HTML already (escape what a person typed). */
export function builtInPage(heading: string, message: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${heading}</title>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
    `<body style="font-family:system-ui,sans-serif;margin:4rem auto;max-width:36rem;padding:0 1rem">` +
    `<h1>${heading}</h1><p>${message}</p></body></html>\n`
  );
}

const bodies = new Map<number, Buffer>();
/** `page`: the site's own HTML for this status; else the built-in page. */
function bodyFor(status: number, page: string | undefined): Buffer {
  if (page !== undefined) return Buffer.from(page);
  let body = bodies.get(status);
  if (body === undefined) {
    const { title, message } = pageFor(status);
    body = Buffer.from(builtInPage(`${status} ${title}`, message));
    bodies.set(status, body);
  }
  return body;
}

const baseHeaders = (body: Buffer) => ({
  "content-type": "text/html; charset=utf-8",
  "content-length": String(body.length),
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
});

/**
 * The client is gone or has its whole answer. An HTTP/2 response has no `destroyed` of its own:
 * its stream's tells.
 */
export function responseGone(res: ServerResponse): boolean {
  if (res.writableEnded || res.destroyed === true) return true;
  const stream = (res as { stream?: { destroyed: boolean } }).stream;
  return stream?.destroyed === true;
}

/**
 * Answers with a small error page (or `page`, the site's own); if the response already started,
 * the only honest move is to cut it.
 */
export function sendErrorPage(res: ServerResponse, status: number, extraHeaders: Record<string, string> = {}, page?: string): void {
  if (responseGone(res)) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Headers copied from a failed upstream response (cookies, lengths) must not leak into the page.
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const body = bodyFor(status, page);
  res.writeHead(status, { ...baseHeaders(body), ...extraHeaders });
  res.end(body);
}

/** The same page written straight to a socket: for upgrade requests and unparseable requests. */
export function writeRawErrorResponse(socket: Duplex, status: number, extraHeaders: Record<string, string> = {}, page?: string): void {
  const body = bodyFor(status, page);
  const headers = Object.entries({ ...baseHeaders(body), ...extraHeaders, connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  endSocket(socket, Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${pageFor(status).title}\r\n${headers}\r\n`), body]));
}
