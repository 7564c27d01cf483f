import type { Worker } from "node:cluster";
import net from "node:net";
import type { Logger } from "pino";
import { ListenError } from "../data-plane/listen-error";
import type { ConnectionScheme } from "../ipc";

export interface ConnectionDispatcherOptions {
  httpPort: number;
  httpsPort: number;
  host: string | undefined;
  /** The workers ready for connections, in a stable order. */
  readyWorkers(): readonly Worker[];
  logger: Logger;
}

export interface ConnectionDispatcher {
  close(): Promise<void>;
}

/** FNV-1a: cheap and well spread over address strings. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The primary accepts every connection and hands it to the worker its client address hashes to,
 * as node:cluster would round-robin them, but sticky: all connections of one address meet the
 * same worker, so per-address rate limits and connection caps are exact however many workers
 * there are. When a worker is replaced, its addresses move to the others until it is back.
 */
export async function startConnectionDispatcher(options: ConnectionDispatcherOptions): Promise<ConnectionDispatcher> {
  const servers = (["http", "https"] as const).map((scheme) => {
    const server = net.createServer({ pauseOnConnect: true }, (socket) => dispatch(scheme, socket));
    server.on("error", (error) => options.logger.error({ err: error, scheme }, "listener error"));
    return { scheme, server };
  });

  function dispatch(scheme: ConnectionScheme, socket: net.Socket): void {
    const workers = options.readyWorkers();
    if (workers.length === 0) {
      socket.destroy();
      return;
    }
    const worker = workers[hashOf(socket.remoteAddress ?? "") % workers.length]!;
    worker.send({ type: "connection", scheme }, socket, (error: Error | null) => {
      if (error !== null) socket.destroy();
    });
  }

  const listening: net.Server[] = [];
  try {
    for (const { scheme, server } of servers) {
      const port = scheme === "http" ? options.httpPort : options.httpsPort;
      await new Promise<void>((resolve, reject) => {
        server.once("error", (error: NodeJS.ErrnoException) => reject(new ListenError(port, error.code ?? "UNKNOWN", error)));
        server.listen({ port, host: options.host }, () => resolve());
      });
      listening.push(server);
    }
  } catch (error) {
    await Promise.all(listening.map((server) => new Promise((resolve) => server.close(resolve))));
    throw error;
  }

  return {
    close: () => Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve)))).then(() => undefined),
  };
}
