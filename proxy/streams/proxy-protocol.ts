import { isIPv4, isIPv6 } from "node:net";

/** The PROXY protocol v2 signature (haproxy's proxy-protocol.txt, section 2.2). */
const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Version 2, command PROXY: the addresses that follow are the real connection's. */
const VERSION_PROXY = 0x21;
/** Version 2, command LOCAL: no addresses; the upstream uses the connection's own. */
const VERSION_LOCAL = 0x20;
const FAMILY = { tcp: { 4: 0x11, 6: 0x21 }, udp: { 4: 0x12, 6: 0x22 } } as const;
const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

export interface Endpoint {
  address: string;
  port: number;
}

/** An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: it is an IPv4 client. */
function plain(address: string): string {
  return IPV4_MAPPED.exec(address)?.[1] ?? address;
}

function ipv6Bytes(address: string): Buffer {
  const v4 = isIPv4(address) ? address : null;
  if (v4 !== null) return Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), Buffer.from(v4.split(".").map(Number))]);
  const [head = "", tail = ""] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = groups(address.includes("::") ? tail : "");
  const all = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2));
  return bytes;
}

/**
 * The header that tells an upstream who the client is (v2, binary). Both ends IPv4 give the short
 * form; otherwise both are written as IPv6 (an IPv4 end as ::ffff:a.b.c.d). Ends that are not IP
 * addresses give a LOCAL header, which upstreams take as "use the connection's own addresses".
 */
export function proxyV2Header(source: Endpoint, destination: Endpoint, transport: "tcp" | "udp"): Buffer {
  const from = plain(source.address);
  const to = plain(destination.address);
  if (!(isIPv4(from) || isIPv6(from)) || !(isIPv4(to) || isIPv6(to))) {
    return Buffer.concat([SIGNATURE, Buffer.from([VERSION_LOCAL, 0x00, 0x00, 0x00])]);
  }
  const bothV4 = isIPv4(from) && isIPv4(to);
  const addresses = bothV4
    ? Buffer.from([...from.split(".").map(Number), ...to.split(".").map(Number)])
    : Buffer.concat([ipv6Bytes(from), ipv6Bytes(to)]);
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(source.port, 0);
  ports.writeUInt16BE(destination.port, 2);
  const head = Buffer.alloc(4);
  head[0] = VERSION_PROXY;
  head[1] = FAMILY[transport][bothV4 ? 4 : 6];
  head.writeUInt16BE(addresses.length + ports.length, 2);
  return Buffer.concat([SIGNATURE, head, addresses, ports]);
}
