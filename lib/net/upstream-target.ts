import { BlockList, isIP } from "node:net";
import { readSettings, type Settings } from "../env/settings";

/** This product's own listening ports, by what they are, as an upstream on this machine would reach them. */
export interface OwnPorts {
  dashboard: number;
  control: number;
  http: number;
  https: number;
}

export function ownPorts(settings: Settings = readSettings()): OwnPorts {
  return { dashboard: settings.DASHBOARD_PORT, control: settings.PROXY_CONTROL_PORT, http: settings.HTTP_PORT, https: settings.HTTPS_PORT };
}

const PORT_NAMES: Record<keyof OwnPorts, string> = {
  dashboard: "this product's own dashboard",
  control: "the proxy's own control port",
  http: "the proxy's own HTTP port",
  https: "the proxy's own HTTPS port",
};

/** Why a stream may not listen on this port (the product's own), or null. */
export function ownPortProblem(port: number, ports: OwnPorts = ownPorts()): string | null {
  const own = (Object.keys(PORT_NAMES) as (keyof OwnPorts)[]).find((what) => ports[what] === port);
  return own === undefined ? null : `Port ${port} is ${PORT_NAMES[own]}: choose another`;
}

/** Addresses that reach this machine itself. IPv4-mapped IPv6 forms (::ffff:127.0.0.1) match too. */
const LOCAL = new BlockList();
LOCAL.addSubnet("127.0.0.0", 8, "ipv4");
LOCAL.addSubnet("0.0.0.0", 8, "ipv4");
LOCAL.addAddress("::1", "ipv6");
LOCAL.addAddress("::", "ipv6");

/**
 * Link-local addresses, where clouds serve each machine's credentials (169.254.169.254 on AWS,
 * Azure, GCP...; fd00:ec2::254 is AWS's IPv6 one). A proxy that forwards there hands them to
 * anyone who can reach the site.
 */
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet("169.254.0.0", 16, "ipv4");
LINK_LOCAL.addSubnet("fe80::", 10, "ipv6");
LINK_LOCAL.addAddress("fd00:ec2::254", "ipv6");
const METADATA_NAMES = new Set(["metadata.google.internal"]);

/** Where an upstream URL points: its port, and whether it is this machine or a link-local address. */
function targetOf(upstream: string): { port: number; local: boolean; linkLocal: boolean } | null {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    return null; // not a URL at all: the URL's own check says so
  }
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  const family = isIP(host) === 4 ? "ipv4" : isIP(host) === 6 ? "ipv6" : null;
  return {
    port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    local: family ? LOCAL.check(host, family) : host === "localhost" || host.endsWith(".localhost"),
    linkLocal: family ? LINK_LOCAL.check(host, family) : METADATA_NAMES.has(host),
  };
}

const LINK_LOCAL_WORDS = "is a link-local or cloud metadata address, where cloud servers get their credentials";

/**
 * What is wrong with an upstream as a target, or null: a loop back into this product, or a
 * link-local address the site has not opted in to.
 */
export function upstreamTargetProblem(upstream: string, ports: OwnPorts, allowLinkLocal: boolean): string | null {
  const target = targetOf(upstream);
  if (target === null) return null;
  const own = (Object.keys(PORT_NAMES) as (keyof OwnPorts)[]).find((what) => ports[what] === target.port);
  if (target.local && own) return `"${upstream}" is ${PORT_NAMES[own]} (port ${target.port}): the proxy would send requests back to itself`;
  if (target.linkLocal && !allowLinkLocal) {
    return `"${upstream}" ${LINK_LOCAL_WORDS}: turn on "Allow link-local upstreams" for this site if you really mean it`;
  }
  return null;
}

/** What is wrong with a stream's upstream, or null: the stream's own port on this machine (a loop), or a link-local address. */
export function streamTargetProblem(upstream: string, listenPort: number): string | null {
  const target = targetOf(upstream);
  if (target === null) return null;
  if (target.local && target.port === listenPort) return `"${upstream}" is this stream's own port: the stream would forward to itself`;
  if (target.linkLocal) return `"${upstream}" ${LINK_LOCAL_WORDS}: a stream may not forward there`;
  return null;
}
