import { promises as dns } from "node:dns";
import net from "node:net";
import type { AcmeEnv } from "../acme/acme-env";
import { dnsServersFromEnv } from "../acme/preflight";
import { DnsProviderFailure, type TxtRecord } from "./dns-provider";

/** How names are looked up: the resolvers to ask, and the port the zones' own servers answer on. */
export interface DnsLookup {
  /** "host:port" resolvers instead of the system's (DNS_SERVERS). */
  servers?: string[];
  /** 53, or another port where a test's own authoritative server listens (DNS_AUTHORITATIVE_PORT). */
  authoritativePort: number;
}

const DNS_PORT = 53;
const QUERY_TIMEOUT_MS = 3_000;
const MAX_CNAME_HOPS = 8;
/** Answers that mean "no such record", as opposed to "no answer". */
const NO_RECORD = new Set(["ENODATA", "ENOTFOUND"]);

export function dnsLookupFromEnv(env: AcmeEnv = process.env): DnsLookup {
  const port = Number(env.DNS_AUTHORITATIVE_PORT);
  const servers = dnsServersFromEnv(env);
  return { ...(servers ? { servers } : {}), authoritativePort: Number.isInteger(port) && port > 0 && port < 65536 ? port : DNS_PORT };
}

function resolver(servers?: string[]): dns.Resolver {
  const created = new dns.Resolver({ timeout: QUERY_TIMEOUT_MS, tries: 2 });
  if (servers) created.setServers(servers);
  return created;
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * Where the TXT record that proves `hostname` goes, and the zone that holds it. A CNAME on
 * `_acme-challenge.<name>` delegates the challenge (acme-dns works so): it is followed.
 */
export async function challengeRecordName(hostname: string, lookup: DnsLookup): Promise<Omit<TxtRecord, "value">> {
  const ask = resolver(lookup.servers);
  let fqdn = `_acme-challenge.${hostname.replace(/^\*\./, "")}`;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    try {
      const [target] = await ask.resolveCname(fqdn);
      if (!target) break;
      fqdn = target.replace(/\.$/, "");
    } catch (error) {
      if (NO_RECORD.has(code(error))) break;
      throw new DnsProviderFailure(`Could not look up ${fqdn}: the DNS resolver gave no answer`, code(error));
    }
  }
  return { fqdn, zone: await zoneOf(fqdn, ask) };
}

/** The closest name at or above `fqdn` that has an SOA record: the zone's apex. */
async function zoneOf(fqdn: string, ask: dns.Resolver): Promise<string> {
  const labels = fqdn.split(".");
  for (let index = 0; index < labels.length - 1; index++) {
    const candidate = labels.slice(index).join(".");
    try {
      await ask.resolveSoa(candidate);
      return candidate;
    } catch (error) {
      if (!NO_RECORD.has(code(error))) {
        throw new DnsProviderFailure(`Could not find the DNS zone of ${fqdn}: the DNS resolver gave no answer`, code(error));
      }
    }
  }
  throw new DnsProviderFailure(`No DNS zone holds ${fqdn}: check that the domain is registered and has name servers`);
}

export interface NameServer {
  name: string;
  addresses: string[];
}

/** The zone's name servers (its NS records) and their addresses. */
export async function nameServersOf(zone: string, lookup: DnsLookup): Promise<NameServer[]> {
  const ask = resolver(lookup.servers);
  let names: string[];
  try {
    names = await ask.resolveNs(zone);
  } catch (error) {
    throw new DnsProviderFailure(`Could not find the name servers of ${zone}`, code(error));
  }
  return Promise.all(
    names.map(async (name) => {
      const [v4, v6] = await Promise.all([ask.resolve4(name).catch(() => []), ask.resolve6(name).catch(() => [])]);
      return { name, addresses: [...v4, ...v6] };
    }),
  );
}

/** Whether a name server answers the value, asking its addresses in turn until one answers. */
async function answersValue(server: NameServer, record: TxtRecord, port: number): Promise<boolean> {
  for (const address of server.addresses) {
    try {
      const values = await resolver([net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`]).resolveTxt(record.fqdn);
      return values.some((chunks) => chunks.join("") === record.value);
    } catch (error) {
      if (NO_RECORD.has(code(error))) return false;
    }
  }
  return false;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
}

/**
 * Waits until every name server of the record's zone answers its value, so the CA (which asks
 * them, not a cache) finds it at once. Returns the servers' names.
 */
export async function waitUntilServed(record: TxtRecord, lookup: DnsLookup, options: WaitOptions): Promise<string[]> {
  const servers = await nameServersOf(record.zone, lookup);
  if (servers.length === 0) throw new DnsProviderFailure(`${record.zone} has no name servers (NS records)`);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const seen = await Promise.all(servers.map((server) => answersValue(server, record, lookup.authoritativePort)));
    const missing = servers.filter((_, index) => !seen[index]).map((server) => server.name);
    if (missing.length === 0) return servers.map((server) => server.name);
    if (Date.now() + options.intervalMs > deadline) {
      throw new DnsProviderFailure(
        `The TXT record ${record.fqdn} did not appear on ${missing.join(", ")} within ${Math.round(options.timeoutMs / 1000)} seconds`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
