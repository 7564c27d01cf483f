import { spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unusedPort } from "@/test-support/backend";
import { probePort } from "./port-probe";

const NOBODY = 65_534;
/** The lowest port anyone may bind (Linux; 0 in some containers, where no port is privileged). */
const unprivilegedStart = Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8"));

/** probePort as an unprivileged user: this test may run as root, for whom no port is privileged. */
function probeAsNobody(port: number, protocol: "tcp" | "udp"): string {
  const module = path.join(import.meta.dirname, "port-probe.ts");
  const script = `import { probePort } from ${JSON.stringify(module)}; process.stdout.write(await probePort("127.0.0.1", ${port}, "${protocol}"));`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    encoding: "utf8",
    ...(process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

describe("probePort", () => {
  it("finds a free port free, for TCP and UDP, and leaves it free", async () => {
    const port = await unusedPort();
    expect(await probePort("127.0.0.1", port, "tcp")).toBe("free");
    expect(await probePort("127.0.0.1", port, "udp")).toBe("free");
    expect(await probePort("127.0.0.1", port, "tcp")).toBe("free");
  });

  it("finds a port another program holds in use, for the protocol it holds", async () => {
    const port = await unusedPort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      expect(await probePort("127.0.0.1", port, "tcp")).toBe("in-use");
      expect(await probePort("0.0.0.0", port, "tcp")).toBe("in-use");
      expect(await probePort("127.0.0.1", port, "udp")).toBe("free");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const socket = createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
    try {
      expect(await probePort("127.0.0.1", port, "udp")).toBe("in-use");
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });

  it.skipIf(unprivilegedStart <= 81)("finds a privileged port privileged for a user that may not bind it", () => {
    expect(probeAsNobody(81, "tcp")).toBe("privileged");
    expect(probeAsNobody(81, "udp")).toBe("privileged");
  });

  it("says nothing of a port on an address that is not this machine's", async () => {
    // TEST-NET-1: never a local address; a bind sends nothing.
    expect(await probePort("192.0.2.1", await unusedPort(), "tcp")).toBe("unknown");
  });
});
