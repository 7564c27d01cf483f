import type { Prisma } from "../db";
import { readSettings } from "../env/settings";
import { AppError } from "../errors";
import { probePort } from "../net/port-probe";
import { ownPortProblem } from "../net/upstream-target";
import type { StreamData } from "../schemas/stream";
import type { StreamProtocol } from "../schemas/stream-options";

type Tx = Prisma.TransactionClient;

/** What of a stream decides who may hold its port. */
export type PortClaim = Pick<StreamData, "listenPort" | "protocol" | "enabled">;

const SOCKETS: Record<StreamProtocol, readonly ("tcp" | "udp")[]> = { tcp: ["tcp"], udp: ["udp"], both: ["tcp", "udp"] };

const portTaken = (message: string) => new AppError("conflict", message, { listenPort: message });

/** The 409 for a port another stream has (also when the unique index on the port had the last word). */
export const portOfStream = (port: number, streamName: string): AppError => portTaken(`Port ${port} is already used by the stream "${streamName}"`);

/**
 * Throws a 409 naming who holds the port a stream wants: this product itself, another stream, or
 * another program on this machine. `streamId` and `stored`: the stream as saved, null on create.
 * Only what changes is checked: a stream that keeps its port keeps it, and the sockets the proxy
 * already holds for it are not tried again (they would answer "in use").
 */
export async function assertPortFree(tx: Tx, streamId: string | null, wanted: PortClaim, stored: PortClaim | null): Promise<void> {
  const samePort = stored !== null && stored.listenPort === wanted.listenPort;
  const held = new Set(samePort && stored.enabled ? SOCKETS[stored.protocol] : []);
  // A disabled stream listens on nothing: a program on its port is its problem once it is turned on.
  const toBind = wanted.enabled ? SOCKETS[wanted.protocol].filter((socket) => !held.has(socket)) : [];
  if (samePort && toBind.length === 0) return;

  const port = wanted.listenPort;
  const own = ownPortProblem(port);
  if (own !== null) throw portTaken(own);
  const other = await tx.stream.findFirst({
    where: { listenPort: port, ...(streamId === null ? {} : { id: { not: streamId } }) },
    select: { name: true },
  });
  if (other) throw portOfStream(port, other.name);
  const host = readSettings().PROXY_HOST;
  for (const socket of toBind) {
    const probe = await probePort(host, port, socket);
    if (probe === "in-use") throw portTaken(`Port ${port} is in use by another program on this machine`);
    if (probe === "privileged") {
      throw portTaken(
        `Port ${port} is a privileged port on this machine: only a program run as root, or allowed to (CAP_NET_BIND_SERVICE), may listen on it. Choose a port from 1024 up`,
      );
    }
  }
}
