import { createSocket } from "node:dgram";
import { createServer, isIP } from "node:net";

/** What a trial bind of a port says: free, taken by a program, or refused to this user (a privileged port). */
export type PortProbe = "free" | "in-use" | "privileged" | "unknown";

/**
 * Binds the port on `host` and closes it at once: whether the proxy could listen there now. Only
 * EADDRINUSE and EACCES say something about the port; any other failure (a host that is not this
 * machine's) says nothing, and is "unknown".
 */
export function probePort(host: string, port: number, protocol: "tcp" | "udp"): Promise<PortProbe> {
  return protocol === "tcp" ? probeTcp(host, port) : probeUdp(host, port);
}

function verdict(error: NodeJS.ErrnoException): PortProbe {
  if (error.code === "EADDRINUSE") return "in-use";
  if (error.code === "EACCES") return "privileged";
  return "unknown";
}

function probeTcp(host: string, port: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(verdict(error)));
    // exclusive: in a cluster worker, ask the kernel, not the primary's shared handle.
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve("free")));
  });
}

function probeUdp(host: string, port: number): Promise<PortProbe> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: isIP(host) === 6 ? "udp6" : "udp4" });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      try {
        socket.close();
      } catch {
        // never bound: nothing to close
      }
      resolve(verdict(error));
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve("free")));
  });
}
