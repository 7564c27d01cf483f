import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SwitchableBackend {
  name: string;
  port: number;
  /** http://127.0.0.1:port */
  url: string;
  /** Paths of the requests received so far, in order. */
  requests: string[];
  /** Requests received since the start (or since resetHits), and when the first of them came. */
  hits(): number;
  firstHitAt(): number | null;
  resetHits(): void;
  /** Requests the client gave up on before they were answered. */
  abandoned(): number;
  /** The status answered from now on (default 200); the body is always the backend's name. */
  answer(status: number): void;
  /** The status answered on this exact path from now on, whatever answer() says; null undoes it. */
  answerPath(path: string, status: number | null): void;
  /** The statuses of the next requests, one each, in order; then answer() applies again. */
  script(statuses: number[]): void;
  /** Delay every answer by this long from now on. */
  delay(ms: number): void;
  /** Stops listening and cuts open connections: connections are refused until start(). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP upstream that can be switched off and on again on the same port, like a server
 * that crashes and is restarted, and whose answer can be changed while it runs.
 */
export async function startSwitchableBackend(name: string, port = 0): Promise<SwitchableBackend> {
  let status = 200;
  let delayMs = 0;
  let abandoned = 0;
  const scripted: number[] = [];
  const byPath = new Map<string, number>();
  const requests: string[] = [];
  let hits = 0;
  let firstHitAt: number | null = null;
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    hits += 1;
    firstHitAt ??= Date.now();
    request.resume();
    const code = byPath.get(request.url ?? "") ?? scripted.shift() ?? status;
    response.on("close", () => {
      if (!response.writableEnded) abandoned += 1;
    });
    const reply = () => {
      if (!response.destroyed) response.writeHead(code, { "content-type": "text/plain" }).end(name);
    };
    if (delayMs > 0) setTimeout(reply, delayMs);
    else reply();
  });
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(on, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const boundPort = await listen(port);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    name,
    port: boundPort,
    url: `http://127.0.0.1:${boundPort}`,
    requests,
    hits: () => hits,
    firstHitAt: () => firstHitAt,
    resetHits: () => {
      hits = 0;
      firstHitAt = null;
    },
    abandoned: () => abandoned,
    answer: (next) => (status = next),
    answerPath: (path, code) => (code === null ? byPath.delete(path) : byPath.set(path, code)),
    script: (statuses) => scripted.splice(0, scripted.length, ...statuses),
    delay: (ms) => (delayMs = ms),
    stop,
    start: async () => {
      if (!server.listening) await listen(boundPort);
    },
    close: stop,
  };
}
