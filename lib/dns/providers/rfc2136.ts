import net from "node:net";
import { z } from "zod";
import { defineDnsProvider } from "../dns-provider";
import { sendTxtChange } from "../rfc2136/send-update";
import { TSIG_ALGORITHMS } from "../rfc2136/tsig";

const DNS_PORT = 53;

/** "host", "host:port", "[v6]:port" or a bare IPv6 address; null when it is none of these. */
export function parseServer(text: string): { host: string; port: number } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : net.isIPv6(text) ? [text, undefined] : text.split(/:(?=\d+$)/);
  const number = port === undefined ? DNS_PORT : Number(port);
  const valid = host && /^[A-Za-z0-9.:-]+$/.test(host) && Number.isInteger(number) && number >= 1 && number <= 65535;
  return valid ? { host, port: number } : null;
}

export const rfc2136 = defineDnsProvider({
  type: "rfc2136",
  label: "RFC 2136 (BIND, Knot, PowerDNS, Technitium)",
  settings: z.object({
    server: z
      .string()
      .trim()
      .min(1, "Enter the DNS server that accepts updates, e.g. ns1.example.com")
      .refine((text) => parseServer(text) !== null, "Write the server's hostname or address, with :port if it is not 53"),
    tsigKeyName: z.string().trim().min(1, "Enter the TSIG key's name, as the server's configuration names it"),
    tsigAlgorithm: z.enum(TSIG_ALGORITHMS, { error: `Choose one of ${TSIG_ALGORITHMS.join(", ")}` }).default("hmac-sha256"),
  }),
  credentials: z.object({
    tsigSecret: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "Paste the TSIG secret as the server's key file has it (base64)"),
  }),
  labels: {
    settings: {
      server: { label: "DNS server", help: "The zone's primary server, with :port if it is not 53", placeholder: "ns1.example.com" },
      tsigKeyName: { label: "TSIG key name", placeholder: "acme-key" },
      tsigAlgorithm: { label: "TSIG algorithm" },
    },
    credentials: { tsigSecret: { label: "TSIG secret", help: "The base64 secret of the key file (tsig-keygen prints it)" } },
  },
  connect(settings, credentials) {
    const { host, port } = parseServer(settings.server)!;
    const key = { name: settings.tsigKeyName, algorithm: settings.tsigAlgorithm, secret: Buffer.from(credentials.tsigSecret, "base64") };
    const server = { host, port, key };
    return {
      createTxt: (record) => sendTxtChange(server, { action: "add", ...record }),
      deleteTxt: (record) => sendTxtChange(server, { action: "delete", ...record }),
    };
  },
});
