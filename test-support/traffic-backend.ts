import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An upstream for traffic tests. Paths:
 *  - /status/NNN        answers NNN with a short body
 *  - /size/N            answers 200 with N bytes
 *  - /slow/MS           answers 200 after MS milliseconds
 *  - /chunked/N         answers 200 with N bytes, chunked (no Content-Length)
 * The request body is read and discarded.
 */
export async function startTrafficBackend(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const [, kind, arg] = /^\/(\w+)\/(\d+)/.exec(req.url ?? "") ?? [];
      const n = Number(arg ?? 0);
      if (kind === "status") {
        res.writeHead(n, { "content-type": "text/plain" });
        res.end(`status ${n}`);
      } else if (kind === "size") {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(n) });
        res.end(Buffer.alloc(n, 120));
      } else if (kind === "chunked") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write(Buffer.alloc(Math.floor(n / 2), 121));
        res.end(Buffer.alloc(n - Math.floor(n / 2), 122));
      } else if (kind === "slow") {
        setTimeout(() => res.end("slow"), n);
      } else {
        res.end("ok");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
