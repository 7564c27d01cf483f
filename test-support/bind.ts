import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as dns } from "node:dns";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unusedPort } from "./backend";

/**
 * A real DNS server (Debian's BIND) on a loopback port, authoritative for one zone that accepts
 * RFC 2136 updates signed with a TSIG key. Its NS is ns.<zone> at 127.0.0.1, so a client that
 * asks it for the zone's servers is pointed back at it (on `port`, given as DNS_AUTHORITATIVE_PORT).
 */
export interface Bind {
  zone: string;
  port: number;
  /** "127.0.0.1:<port>": the server for RFC 2136 updates, and for DNS_SERVERS. */
  server: string;
  keyName: string;
  /** The TSIG secret, base64, as a key file has it. */
  secret: string;
  /** The TXT values at a name now (empty when there are none). */
  txt(name: string): Promise<string[]>;
  log(): string;
  stop(): Promise<void>;
}

export const NAMED = "/usr/sbin/named";
const READY_TIMEOUT_MS = 20_000;

export interface BindOptions {
  zone?: string;
  /** More lines for the zone file, e.g. "_acme-challenge.www CNAME target.dns.test.". */
  records?: string[];
}

export async function startBind(options: BindOptions = {}): Promise<Bind> {
  const zone = options.zone ?? "dns.test";
  const dir = mkdtempSync(path.join(tmpdir(), "gk-bind-"));
  const port = await unusedPort();
  const keyName = "acme-key";
  const secret = randomBytes(32).toString("base64");
  writeFileSync(
    path.join(dir, "named.conf"),
    `key "${keyName}" { algorithm hmac-sha256; secret "${secret}"; };
options {
  directory "${dir}"; pid-file "${dir}/named.pid"; listen-on port ${port} { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; dnssec-validation no; notify no;
};
controls { };
zone "${zone}" { type primary; file "${dir}/zone.db"; allow-update { key "${keyName}"; }; };
`,
  );
  writeFileSync(
    path.join(dir, "zone.db"),
    `$TTL 5
@ IN SOA ns.${zone}. hostmaster.${zone}. 1 60 60 600 5
@ IN NS ns.${zone}.
ns IN A 127.0.0.1
@ IN A 127.0.0.1
* IN A 127.0.0.1
${(options.records ?? []).join("\n")}
`,
  );
  let output = "";
  const child = spawn(NAMED, ["-g", "-u", "root", "-c", path.join(dir, "named.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);

  const resolver = new dns.Resolver({ timeout: 1_000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const stop = async () => {
    process.off("exit", kill);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      setTimeout(kill, 3_000).unref();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await resolver.resolveSoa(zone);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`BIND did not start: ${(error as Error).message}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    zone,
    port,
    server: `127.0.0.1:${port}`,
    keyName,
    secret,
    txt: async (name) => {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
      } catch (error) {
        if (["ENODATA", "ENOTFOUND"].includes((error as NodeJS.ErrnoException).code ?? "")) return [];
        throw error;
      }
    },
    log: () => output,
    stop,
  };
}
