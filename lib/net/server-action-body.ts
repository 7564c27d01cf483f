import http from "node:http";

/** Next's limit for a server action's body (next.config.ts), here to refuse a larger one first. */
export const SERVER_ACTION_BODY_LIMIT_MB = 2;
const LIMIT_BYTES = SERVER_ACTION_BODY_LIMIT_MB * 1024 * 1024;

export type Guarded = { request: http.IncomingMessage } | { refused: { status: 400 | 413; message: string } };

/**
 * Next answers 500 to a server action whose body it cannot decode (garbage, a truncated
 * multipart form, arguments that are not JSON) or that is over the size limit: it treats every
 * decoding error as a bug in the action. The dashboard's server reads such a body first and
 * refuses it with 400 or 413 itself; a readable one is handed to Next as it came.
 *
 * Guarded: every POST naming an action (Next-Action header) and every multipart POST to a page
 * (a form posted before the page's script loaded). Everything else passes untouched.
 */
export async function guardServerAction(request: http.IncomingMessage): Promise<Guarded> {
  const type = request.headers["content-type"] ?? "";
  const action = request.headers["next-action"] !== undefined;
  const multipart = /^multipart\/form-data/i.test(type);
  const page = !(request.url ?? "/").startsWith("/api/");
  if (request.method !== "POST" || !(action || (multipart && page))) return { request };

  const body = await readUpTo(request, LIMIT_BYTES);
  if (body === null) return refuse(413, `The form is larger than ${SERVER_ACTION_BODY_LIMIT_MB} MB`);
  const problem = multipart ? await multipartProblem(body, type, action) : action ? jsonProblem(body.toString("utf8")) : null;
  return problem === null ? { request: replay(request, body) } : refuse(400, problem);
}

const refuse = (status: 400 | 413, message: string): Guarded => ({ refused: { status, message } });

async function multipartProblem(body: Buffer, type: string, action: boolean): Promise<string | null> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    return "The form data is incomplete or malformed: reload the page and try again";
  }
  if (!action) return null;
  // React sends an action's arguments as numbered JSON fields ("0", "1", ...) beside the form's own.
  for (const [name, value] of form) {
    if (/^\d+$/.test(name) && typeof value === "string" && jsonProblem(value) !== null)
      return "The form data is incomplete or malformed: reload the page and try again";
  }
  return null;
}

function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch {
    return "The action's arguments are not readable: reload the page and try again";
  }
}

/** The whole body, or null as soon as it passes `limit` bytes. */
function readUpTo(request: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // The rest is left unread: the answer closes the connection.
        request.off("data", onData);
        resolve(null);
      } else chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** A request with the same head whose body is `body` again, for Next to read as if it came fresh. */
function replay(original: http.IncomingMessage, body: Buffer): http.IncomingMessage {
  const copy = new http.IncomingMessage(original.socket);
  Object.assign(copy, {
    method: original.method,
    url: original.url,
    headers: original.headers,
    rawHeaders: original.rawHeaders,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}
