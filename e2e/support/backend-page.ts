import http from "node:http";

export interface PageBackend {
  url: string;
  close(): Promise<void>;
}

/** A tiny website standing in for the user's app: an HTML page that says which backend it is. */
export async function startPageBackend(name: string): Promise<PageBackend> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", server: "secret-backend/1.0" });
    response.end(`<!doctype html><title>${name}</title><h1>Hello from ${name}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
