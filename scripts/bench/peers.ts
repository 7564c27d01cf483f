import { spawn } from "node:child_process";
import { accessSync, chownSync, constants, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unusedPort } from "@/test-support/backend";
import type { BenchCertificate } from "./certificate";
import { caddyConfig, haproxyConfig, nginxConfig, nodeFloorConfig, type PeerSetup } from "./peer-configs";
import { targetOn, waitUntilServing, type Target } from "./targets";

interface Peer {
  name: string;
  binary: string;
  config(setup: PeerSetup): string;
  args(configPath: string, dir: string): string[];
  /** Caddy writes its state under HOME or XDG dirs: keep them in the temp directory. */
  env?(dir: string): Record<string, string>;
}

export const PEERS: Peer[] = [
  { name: "nginx", binary: "nginx", config: nginxConfig, args: (config, dir) => ["-p", `${dir}/`, "-c", config, "-e", "stderr"] },
  { name: "HAProxy", binary: "haproxy", config: haproxyConfig, args: (config) => ["-db", "-f", config] },
  {
    name: "Caddy",
    binary: "caddy",
    config: caddyConfig,
    args: (config) => ["run", "--adapter", "caddyfile", "--config", config],
    env: (dir) => ({ HOME: dir, XDG_DATA_HOME: path.join(dir, "data"), XDG_CONFIG_HOME: path.join(dir, "config") }),
  },
  {
    name: "Node floor",
    binary: "node",
    config: nodeFloorConfig,
    args: (config) => [path.join(import.meta.dirname, "node-floor.mjs"), config],
  },
];

/** Debian puts nginx and haproxy in /usr/sbin, which is not on an ordinary user's PATH. */
const BINARY_DIRS = [...(process.env.PATH ?? "").split(":").filter(Boolean), "/usr/sbin", "/sbin"];
/** nobody:nogroup on Debian: peers never run as root, even when the bench does. */
const UNPRIVILEGED_ID = 65534;
const START_TIMEOUT_MS = 15_000;
const LOG_TAIL_CHARS = 4096;

export function findBinary(name: string): string | null {
  for (const dir of BINARY_DIRS) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return path.join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

export interface RunningPeer {
  target: Target;
  stop(): Promise<void>;
}

/** Writes the peer's config in its own directory under `baseDir` and starts it on two free high ports. */
export async function startPeer(
  peer: Peer,
  binary: string,
  baseDir: string,
  backendPort: number,
  workers: number,
  certificate: BenchCertificate,
): Promise<RunningPeer> {
  const dir = path.join(baseDir, peer.name.toLowerCase());
  mkdirSync(dir);
  const combinedPemPath = path.join(dir, "cert-and-key.pem");
  writeFileSync(combinedPemPath, certificate.certificatePem + certificate.privateKeyPem);
  const setup: PeerSetup = {
    dir,
    backendPort,
    httpPort: await unusedPort(),
    httpsPort: await unusedPort(),
    workers,
    certPath: certificate.certPath,
    keyPath: certificate.keyPath,
    combinedPemPath,
  };
  const configPath = path.join(dir, `${peer.binary}.conf`);
  writeFileSync(configPath, peer.config(setup));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) giveToUnprivileged(baseDir);

  const child = spawn(binary, peer.args(configPath, dir), {
    cwd: dir,
    env: { ...process.env, ...peer.env?.(dir) },
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID } : {}),
  });
  // The tail is enough to say why a peer did not start, and a peer logging every failed request stays small.
  let log = "";
  const keepTail = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS));
  child.stdout.on("data", keepTail);
  child.stderr.on("data", keepTail);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const target = targetOn(peer.name, setup.httpPort, setup.httpsPort);
  try {
    await waitUntilServing(target.httpUrl, START_TIMEOUT_MS, () => (child.exitCode !== null ? `${peer.name} exited: ${log}` : null));
  } catch (error) {
    await stop();
    throw error;
  }
  return { target, stop };
}

/** The peer reads its config and certificate and writes its state here as nobody. */
function giveToUnprivileged(dir: string): void {
  chownSync(dir, UNPRIVILEGED_ID, UNPRIVILEGED_ID);
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    chownSync(path.join(dir, entry), UNPRIVILEGED_ID, UNPRIVILEGED_ID);
  }
}
