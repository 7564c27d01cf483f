import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/**
 * Which process serves a connection, read from Linux's /proc: no debug header or endpoint in the
 * product. A worker that accepted a connection holds its socket; the others do not.
 */

/** The child processes of `pid` (the proxy primary's workers). */
export function childPids(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

/** "127.0.0.1" and 8080 as /proc/net/tcp writes them: "0100007F:1F90". */
function procAddress(ip: string, port: number): string {
  const hex = ip
    .split(".")
    .map((part) => Number(part).toString(16).padStart(2, "0").toUpperCase())
    .reverse()
    .join("");
  return `${hex}:${port.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The inode of the server's side of an IPv4 connection (local = the proxy's port, remote = the client's). */
function serverSocketInode(server: { ip: string; port: number }, client: { ip: string; port: number }): string | null {
  const local = procAddress(server.ip, server.port);
  const remote = procAddress(client.ip, client.port);
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return fields[9] ?? null;
  }
  return null;
}

/** The pid among `pids` holding the server side of this connection, or null. */
export function socketOwner(pids: number[], server: { ip: string; port: number }, client: { ip: string; port: number }): number | null {
  const inode = serverSocketInode(server, client);
  if (inode === null) return null;
  const link = `socket:[${inode}]`;
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return pid;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return null;
}
