// The floor of a data plane written on Node, for `npm run bench`: the least a proxy built on
// node:http, node:http2 and undici does (no routing, protection, counting or limits), in as many
// workers as the product, accepting the way the product does. Run like the other peers, as a
// program of its own with a config file. The product's distance to it is the product's own
// overhead; its distance to nginx, HAProxy or Caddy is the runtime's.
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { Pool } from "undici";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

cluster.schedulingPolicy = cluster.SCHED_NONE;
if (cluster.isPrimary) {
  for (let index = 0; index < config.workers; index++) cluster.fork();
  cluster.on("exit", () => process.exit(1));
  process.on("SIGTERM", () => {
    cluster.removeAllListeners("exit");
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const upstream = new Pool(`http://127.0.0.1:${config.backendPort}`);

  const forward = (req, res) => {
    const headers = [];
    for (let index = 0; index < req.rawHeaders.length; index += 2) {
      const name = req.rawHeaders[index];
      if (name[0] !== ":" && !HOP_BY_HOP.has(name.toLowerCase())) headers.push(name, req.rawHeaders[index + 1]);
    }
    const body = req.method === "GET" || req.method === "HEAD" ? null : req;
    upstream.dispatch(
      { path: req.url, method: req.method, headers, body },
      {
        onConnect() {},
        onHeaders(status, raw, resume) {
          const out = [];
          for (let index = 0; index < raw.length; index += 2) {
            const name = raw[index].toString("latin1").toLowerCase();
            if (!HOP_BY_HOP.has(name)) out.push(name, raw[index + 1].toString("latin1"));
          }
          res.writeHead(status, out);
          res.on("drain", resume);
          return true;
        },
        onData: (chunk) => res.write(chunk),
        onComplete: () => res.end(),
        onError() {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        },
      },
    );
  };

  // A websocket: the upgrade request as it came, then the two sockets spliced.
  const splice = (req, socket, head) => {
    const backend = net.connect(config.backendPort, "127.0.0.1", () => {
      let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let index = 0; index < req.rawHeaders.length; index += 2) text += `${req.rawHeaders[index]}: ${req.rawHeaders[index + 1]}\r\n`;
      backend.write(`${text}\r\n`);
      if (head.length > 0) backend.write(head);
      socket.pipe(backend).pipe(socket);
    });
    backend.on("error", () => socket.destroy());
    socket.on("error", () => backend.destroy());
  };

  const tls = { cert: readFileSync(config.certPath), key: readFileSync(config.keyPath), allowHTTP1: true };
  http.createServer(forward).on("upgrade", splice).listen(config.httpPort, "127.0.0.1");
  http2.createSecureServer(tls, forward).listen(config.httpsPort, "127.0.0.1");
}
