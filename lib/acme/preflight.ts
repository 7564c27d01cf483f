import { promises as dns } from "node:dns";
import http from "node:http";
import os from "node:os";
import type { AcmeEnv } from "./acme-env";
import type { PreflightResult } from "./preflight-types";

export interface PreflightOptions {
  /** The port the proxy serves HTTP on (what the CA's port 80 must reach). */
  httpPort: number;
  /** A token the proxy answers right now, and the answer it gives. */
  probe: { token: string; expected: string };
  /** "host:port" DNS servers to ask instead of the system's (DNS_SERVERS); system lookup when absent. */
  dnsServers?: string[];
  timeoutMs?: number;
  /** This machine's addresses; os.networkInterfaces() when absent. */
  localAddresses?: () => string[];
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** DNS_SERVERS="127.0.0.1:8053,10.0.0.2": servers to resolve with instead of the system's. */
export function dnsServersFromEnv(env: AcmeEnv = process.env): string[] | undefined {
  const list = (env.DNS_SERVERS ?? "")
    .split(",")
    .map((server) => server.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}

/** Checks every name at once; never throws. */
export function preflightHostnames(hostnames: string[], options: PreflightOptions): Promise<PreflightResult[]> {
  return Promise.all(hostnames.map((hostname) => preflightHostname(hostname, options)));
}

/**
 * Does the name resolve, and does an HTTP-01 style request to its address reach this proxy?
 * Answers in plain words; never throws.
 */
export async function preflightHostname(rawHostname: string, options: PreflightOptions): Promise<PreflightResult> {
  const hostname = rawHostname.trim().toLowerCase().replace(/\.$/, "");
  const result = (ok: boolean, addresses: string[], message: string): PreflightResult => ({ hostname, ok, addresses, message });
  try {
    if (hostname.startsWith("*."))
      return result(false, [], `${hostname} is a wildcard: only a DNS challenge can prove it, so there is nothing to check on port 80`);
    const resolved = await resolve(hostname, options);
    if (!resolved.ok) return result(false, [], resolved.message);
    const { addresses } = resolved;
    const address = addresses[0]!;
    const probe = await probeAddress(hostname, address, options);
    if (probe.ok) return result(true, addresses, `${hostname} reaches this proxy`);
    const local = new Set((options.localAddresses ?? interfaceAddresses)());
    if (!addresses.some((candidate) => local.has(candidate))) {
      return result(false, addresses, `${hostname} resolves to ${addresses.join(", ")}, not to this server`);
    }
    return result(false, addresses, `port ${options.httpPort} on ${hostname} did not reach this proxy: ${probe.reason}`);
  } catch (error) {
    return result(false, [], `${hostname} could not be checked: ${error instanceof Error ? error.message : String(error)}`);
  }
}

type Resolved = { ok: true; addresses: string[] } | { ok: false; message: string };

const NO_SUCH_NAME = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN", "ENONAME", "EAI_NONAME", "EAI_NODATA"]);

function lookupFailure(hostname: string, error: unknown): Resolved {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  if (code === "" || NO_SUCH_NAME.has(code)) return { ok: false, message: `${hostname} does not resolve` };
  return { ok: false, message: `${hostname} could not be looked up: the DNS server did not answer (${code})` };
}

async function resolve(hostname: string, options: PreflightOptions): Promise<Resolved> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!options.dnsServers) {
    try {
      const found = await dns.lookup(hostname, { all: true, verbatim: false });
      const addresses = [...new Set(found.map((entry) => entry.address))];
      return addresses.length > 0 ? { ok: true, addresses } : { ok: false, message: `${hostname} does not resolve` };
    } catch (error) {
      return lookupFailure(hostname, error);
    }
  }
  const resolver = new dns.Resolver({ timeout: Math.max(500, Math.floor(timeoutMs / 2)), tries: 2 });
  resolver.setServers(options.dnsServers);
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
  const addresses = [...(v4.status === "fulfilled" ? v4.value : []), ...(v6.status === "fulfilled" ? v6.value : [])];
  if (addresses.length > 0) return { ok: true, addresses };
  return lookupFailure(hostname, v4.status === "rejected" ? v4.reason : v6.status === "rejected" ? v6.reason : undefined);
}

function interfaceAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address);
}

type Probe = { ok: true } | { ok: false; reason: string };

const PROBE_REASONS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (is the proxy listening on all interfaces, or does a firewall reject it?)",
  ECONNRESET: "the connection was cut",
  EHOSTUNREACH: "there is no route to that address",
  ENETUNREACH: "there is no route to that address",
};

function probeAddress(hostname: string, address: string, options: PreflightOptions): Promise<Probe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((settle) => {
    const request = http.request(
      {
        hostname: address,
        port: options.httpPort,
        path: `/.well-known/acme-challenge/${options.probe.token}`,
        headers: { host: hostname, "user-agent": "gatekeeper-preflight/1" },
        timeout: timeoutMs,
        agent: false,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        response.on("end", () => {
          if (response.statusCode === 200 && body.trim() === options.probe.expected) settle({ ok: true });
          else if (response.statusCode !== 200) settle({ ok: false, reason: `another server answered (HTTP ${response.statusCode})` });
          else settle({ ok: false, reason: "another server answered with different content" });
        });
        response.on("error", () => settle({ ok: false, reason: "the answer was cut off" }));
      },
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    request.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      settle({
        ok: false,
        reason:
          code === "ETIMEDOUT"
            ? `no answer within ${Math.round(timeoutMs / 1000)} s (a firewall may drop it)`
            : (PROBE_REASONS[code] ?? `${code || error.message}`),
      });
    });
    request.end();
  });
}
