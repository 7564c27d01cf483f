import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An upstream that can be stopped and started again on the same port, as when an application
 * server restarts. Answers every request with `{"backend": name, "method", "url"}`.
 */
export interface RestartableBackend {
  name: string;
  port: number;
  /** http://127.0.0.1:port, the address to put in a snapshot. */
  url: string;
  /** Requests that reached it since it was created (or since resetHits). */
  hits(): number;
  /** When the first of those requests arrived (Date.now()), or null. */
  firstHitAt(): number | null;
  resetHits(): void;
  /** Answer with this status from now on (200 by default). */
  answerWith(status: number): void;
  /** Closes the listener and cuts every open connection: connections are refused from now on. */
  stop(): Promise<void>;
  /** Listens on the same port again. */
  start(): Promise<void>;
}

export async function startRestartableBackend(name: string): Promise<RestartableBackend> {
  let hits = 0;
  let firstHitAt: number | null = null;
  let status = 200;
  let server: http.Server | null = null;
  let port = 0;

  const listen = async () => {
    const next = http.createServer((req, res) => {
      hits += 1;
      firstHitAt ??= Date.now();
      req.resume();
      req.on("end", () => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ backend: name, method: req.method, url: req.url }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  await listen();

  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    firstHitAt: () => firstHitAt,
    resetHits: () => {
      hits = 0;
      firstHitAt = null;
    },
    answerWith: (next) => {
      status = next;
    },
    async stop() {
      const current = server;
      server = null;
      if (current === null) return;
      const closed = new Promise<void>((resolve) => current.close(() => resolve()));
      current.closeAllConnections();
      await closed;
    },
    async start() {
      if (server === null) await listen();
    },
  };
}
