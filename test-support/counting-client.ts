import http from "node:http";
import type { Socket } from "node:net";

export interface CountedResponse {
  status: number;
  body: Buffer;
  /** Bytes this client wrote to / read from its connection: what the proxy read / wrote. */
  bytesSent: number;
  bytesReceived: number;
  /** From sending the request to the connection closing, measured by the client. */
  ms: number;
}

/**
 * One request on its own connection (Connection: close), counting every byte on the wire in
 * both directions, so that tests can compare the proxy's byte counts exactly.
 */
export function countedRequest(options: {
  port: number;
  host: string;
  path?: string;
  method?: string;
  body?: string | Buffer;
  headers?: http.OutgoingHttpHeaders;
}): Promise<CountedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({
      host: "127.0.0.1",
      port: options.port,
      path: options.path ?? "/",
      method: options.method ?? "GET",
      headers: { host: options.host, ...options.headers },
      agent: false,
    });
    let socket: Socket | undefined;
    req.on("socket", (s) => (socket = s));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const ms = performance.now() - started;
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            bytesSent: socket?.bytesWritten ?? 0,
            bytesReceived: socket?.bytesRead ?? 0,
            ms,
          });
        if (socket === undefined || socket.destroyed) done();
        else socket.once("close", done);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
