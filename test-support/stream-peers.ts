import { createHash } from "node:crypto";
import dgram from "node:dgram";
import net, { type AddressInfo } from "node:net";

/** A TCP upstream that hashes all it receives and, on the client's half-close, answers "name bytes sha256", then ends. */
export async function hashingTcpUpstream(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const hash = createHash("sha256");
    let bytes = 0;
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    socket.on("end", () => socket.end(`${name} ${bytes} ${hash.digest("hex")}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A DNS-like UDP upstream: answers each datagram with "name:" and the datagram. */
export async function echoUdpUpstream(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (datagram, from) => socket.send(Buffer.concat([Buffer.from(`${name}:`), datagram]), from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** Sends `payload`, half-closes, and reads everything until the other end closes (a reset counts as a close). */
export function tcpExchange(host: string, port: number, payload: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.end(payload);
  });
}

/** Sends one datagram from a fresh socket and waits for the first answer (null after `timeoutMs`). */
export async function udpAsk(host: string, port: number, payload: string, timeoutMs = 2_000): Promise<string | null> {
  const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  try {
    return await udpAskOn(socket, host, port, payload, timeoutMs);
  } finally {
    socket.close();
  }
}

/** The same from a socket the caller keeps (one client, several datagrams). */
export function udpAskOn(socket: dgram.Socket, host: string, port: number, payload: string, timeoutMs = 2_000): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off("message", onMessage);
      resolve(null);
    }, timeoutMs);
    const onMessage = (answer: Buffer) => {
      clearTimeout(timer);
      resolve(answer.toString());
    };
    socket.once("message", onMessage);
    socket.send(payload, port, host);
  });
}
