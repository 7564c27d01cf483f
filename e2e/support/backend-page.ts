import http from "node:http";

export interface PageBackend {
  url: string;
  /** Stops answering (the port is closed, as when the app crashes). */
  stop(): Promise<void>;
  /** Answers again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A tiny website standing in for the user's app: an HTML page that says which backend it is. */
export async function startPageBackend(name: string): Promise<PageBackend> {
  let server: http.Server | null = null;
  let port = 0;
  const start = async () => {
    const next = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", server: "secret-backend/1.0" });
      response.end(`<!doctype html><title>${name}</title><h1>Hello from ${name}</h1>`);
    });
    await new Promise<void>((resolve) => next.listen(port, "127.0.0.1", resolve));
    port = (next.address() as { port: number }).port;
    server = next;
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running) return;
    running.closeAllConnections();
    await new Promise((resolve) => running.close(resolve));
  };
  await start();
  return { url: `http://127.0.0.1:${port}`, stop, start, close: stop };
}
