import http from "node:http";

/**
 * The loopback control port: the dashboard POSTs /reload after a write (the fast path of config
 * delivery). Bound to 127.0.0.1 only; a reload merely re-reads the database, so it needs no secret.
 */
export function startControlServer(port: number, onReload: () => void): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    if (request.method === "POST" && request.url === "/reload") {
      onReload();
      response.writeHead(202).end();
    } else if (request.method === "GET" && request.url === "/health") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
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
