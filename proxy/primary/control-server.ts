import http from "node:http";
import type { PreflightResult } from "@/lib/acme/preflight-types";
import { cachePurgeSchema, type CachePurge } from "@/lib/schemas/cache-purge";
import { explainRequestSchema, type ExplainRequest, type Explanation } from "@/lib/schemas/explain";
import { controlSecret, isControlAuthorized } from "@/lib/config/control-secret";
import { answerAccessLogQuery } from "../access-log/access-log-request";
import type { AccessLogSource } from "../access-log/access-log-ring";
import type { ControlRoute } from "../metrics/control-route";

export interface ControlHandlers {
  /** Something in the database changed: reload the config, look for ACME orders. */
  onReload(): void;
  /** Pre-flight checks for an ACME order: can the CA reach these names on this proxy? */
  preflight(hostnames: string[]): Promise<PreflightResult[]>;
  /** Recent requests per site (the access log); GET /access-log answers 404 without it. */
  accessLog?: AccessLogSource;
  /** GET /metrics/traffic: the cumulative traffic counters, for the dashboard's /metrics. */
  metrics?: ControlRoute;
  /** POST /explain: what the proxy would do with a request, without sending it anywhere. */
  explain?(request: ExplainRequest): Promise<Explanation>;
  /** POST /cache/purge: removes a site's stored answers as asked and says how many; 404 without it. */
  purgeCache?(siteId: string, purge: CachePurge): Promise<number>;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_HOSTNAMES = 100;

/**
 * The loopback control port. POST /reload after a write (the fast path of config delivery);
 * POST /acme/preflight {hostnames} answers PreflightResult[]; GET /access-log?siteId=&status=
 * &method=&path=&clientIp=&limit= answers {entries, total}, newest first; POST /cache/purge
 * {siteId, prefix?, url?} answers {purged}. Bound to 127.0.0.1, which
 * every local user and process can reach: each route answers 401 without the secret shared
 * with the dashboard (lib/config/control-secret.ts).
 */
export function startControlServer(port: number, handlers: ControlHandlers): Promise<http.Server> {
  controlSecret(); // made now, so the dashboard finds it even before it first asks
  const server = http.createServer((request, response) => {
    if (!isControlAuthorized(request.headers.authorization)) {
      response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "Send the control secret" }));
      return;
    }
    if (handlers.metrics?.(request, response)) return;
    const json = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const url = requestUrl(request.url);
    if (request.method === "POST" && request.url === "/reload") {
      handlers.onReload();
      response.writeHead(202).end();
    } else if (request.method === "GET" && request.url === "/health") {
      json(200, { ok: true });
    } else if (request.method === "POST" && request.url === "/acme/preflight") {
      readJson(request)
        .then(async (body) => {
          const hostnames = preflightHostnames(body);
          if (typeof hostnames === "string") return json(400, { error: hostnames });
          json(200, await handlers.preflight(hostnames));
        })
        .catch((error: unknown) => json(error instanceof BadRequest ? 400 : 500, { error: (error as Error).message }));
    } else if (request.method === "POST" && request.url === "/explain" && handlers.explain !== undefined) {
      const explain = handlers.explain;
      readJson(request)
        .then(async (body) => {
          const parsed = explainRequestSchema.safeParse(body);
          if (!parsed.success) return json(400, { error: parsed.error.issues[0]?.message ?? "Send a request to explain" });
          json(200, await explain(parsed.data));
        })
        .catch((error: unknown) => json(error instanceof BadRequest ? 400 : 500, { error: (error as Error).message }));
    } else if (request.method === "POST" && request.url === "/cache/purge" && handlers.purgeCache !== undefined) {
      const purgeCache = handlers.purgeCache;
      readJson(request)
        .then(async (body) => {
          const asked = purgeRequest(body);
          if (typeof asked === "string") return json(400, { error: asked });
          json(200, { purged: await purgeCache(asked.siteId, asked.purge) });
        })
        .catch((error: unknown) => json(error instanceof BadRequest ? 400 : 500, { error: (error as Error).message }));
    } else if (request.method === "GET" && url?.pathname === "/access-log" && handlers.accessLog !== undefined) {
      const answer = answerAccessLogQuery(url.searchParams, handlers.accessLog);
      json(answer.status, answer.body);
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

class BadRequest extends Error {}

/** The request target as a URL; null for one that does not parse (answered 404, never a crash). */
function requestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? "/", "http://control.invalid");
  } catch {
    return null;
  }
}

function readJson(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest("The request body is too large"));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new BadRequest("The request body is not JSON"));
      }
    });
    request.on("error", reject);
  });
}

/** The hostnames of a pre-flight request, or what is wrong with it. */
function preflightHostnames(body: unknown): string[] | string {
  const hostnames = (body as { hostnames?: unknown } | null)?.hostnames;
  if (!Array.isArray(hostnames) || hostnames.length === 0) return 'Send {"hostnames": ["example.com", ...]}';
  if (hostnames.length > MAX_HOSTNAMES) return `At most ${MAX_HOSTNAMES} hostnames at once`;
  if (!hostnames.every((name): name is string => typeof name === "string" && name.trim() !== "" && name.length <= 253)) {
    return "Every hostname must be a non-empty string of at most 253 characters";
  }
  return hostnames.map((name) => name.trim().toLowerCase());
}

/** The site and the purge of a purge request, or what is wrong with it (the first problem, in the schema's words). */
function purgeRequest(body: unknown): { siteId: string; purge: CachePurge } | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return 'Send {"siteId": "...", "prefix"?: "/static/", "url"?: "/a.css"}';
  const { siteId, ...rest } = body as Record<string, unknown>;
  if (typeof siteId !== "string" || siteId.trim() === "") return "Send the site's id as siteId";
  const parsed = cachePurgeSchema.safeParse(rest);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "Send a prefix, a URL, or neither";
  return { siteId, purge: parsed.data };
}
