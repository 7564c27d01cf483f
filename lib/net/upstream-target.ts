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

/**
 * What is wrong with an upstream as a target, or null: a loop back into this product, or a
 * link-local address the site has not opted in to.
 */
export function upstreamTargetProblem(upstream: string, ports: OwnPorts, allowLinkLocal: boolean): string | null {
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
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));

  const local = family ? LOCAL.check(host, family) : host === "localhost" || host.endsWith(".localhost");
  const own = (Object.keys(PORT_NAMES) as (keyof OwnPorts)[]).find((what) => ports[what] === port);
  if (local && own) return `"${upstream}" is ${PORT_NAMES[own]} (port ${port}): the proxy would send requests back to itself`;

  const linkLocal = family ? LINK_LOCAL.check(host, family) : METADATA_NAMES.has(host);
  if (linkLocal && !allowLinkLocal) {
    return `"${upstream}" is a link-local or cloud metadata address, where cloud servers get their credentials: turn on "Allow link-local upstreams" for this site if you really mean it`;
  }
  return null;
}
