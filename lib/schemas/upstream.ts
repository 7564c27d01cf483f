import { z } from "zod";

export const MAX_UPSTREAM_URL_LENGTH = 2048;
const MAX_PORT = 65_535;
/** The digits after the host ("[::1]" or a name) in scheme://host:port/... */
const PORT_IN_AUTHORITY = /^[a-z][a-z\d+.-]*:\/\/(?:\[[^\]/]*\]|[^/?#:[\]]*):(\d+)(?=[/?#]|$)/i;

/** Characters the URL parser would drop or change in silence ("/\r\nX-Inj: 1" becomes "/X-Inj:%201"). */
const PLAIN_URL = /^[^\s\p{Cc}]*$/u;
const PLAIN_URL_MESSAGE = "Remove the spaces, line breaks or control characters from the URL";

/** The schemes of addresses forwarded byte for byte: a pass-through site's, a stream's. */
export const SOCKET_SCHEMES = ["tcp", "udp"] as const;
export type SocketScheme = (typeof SOCKET_SCHEMES)[number];

/** What is wrong with a tcp:// or udp:// address, or null: it must be scheme://host:port and nothing more. */
function socketAddressProblem(value: string, url: URL): string | null {
  if (url.port === "" || url.port === "0") return `"${value}": add the port, from 1 to 65535, like ${url.protocol}//10.0.0.5:5432`;
  if (url.username || url.password) return `"${value}" must not contain a user name or password`;
  if ((url.pathname !== "" && url.pathname !== "/") || url.search || url.hash) return `"${value}" must be only ${url.protocol}//host:port`;
  return null;
}

/** The URL parser's verdict on what was typed, with the port named when it is the part that is wrong. */
function parseTyped(value: string, example: string): URL | string {
  try {
    return new URL(value);
  } catch {
    // The parser refuses a port over 65535 like any other broken URL: say which part is wrong.
    if (Number(PORT_IN_AUTHORITY.exec(value)?.[1]) > MAX_PORT) return `"${value}": use a port from 1 to 65535`;
    return `"${value}" is not a URL: write it like ${example}`;
  }
}

/** scheme://host:port of a tcp:// or udp:// address ("origin" is "null" for schemes the URL standard does not know). */
const socketAddress = (url: URL): string => `${url.protocol}//${url.host.toLowerCase()}`;

/**
 * An upstream server as a user types it: http(s)://host[:port][/path], or tcp://host:port for a
 * site whose TLS is passed through (checked against the site's mode by the site's schema).
 */
export const upstreamUrlSchema = z
  .string()
  .trim()
  .max(MAX_UPSTREAM_URL_LENGTH, `Use at most ${MAX_UPSTREAM_URL_LENGTH.toLocaleString("en")} characters for the URL`)
  .regex(PLAIN_URL, PLAIN_URL_MESSAGE)
  // "10.0.0.5:8080" is what people type; plain http is what they mean. "unix:/run/app.sock" is a
  // scheme without slashes, not a host called "unix".
  .transform((value) => (value.includes("://") || value === "" || /^[a-z][a-z\d+.-]*:(?!\d)/i.test(value) ? value : `http://${value}`))
  .superRefine((value, ctx) => {
    const url = parseTyped(value, "http://10.0.0.5:8080");
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    if (typeof url === "string") return problem(url);
    if (url.protocol === "tcp:") {
      const socket = socketAddressProblem(value, url);
      if (socket !== null) problem(socket);
    } else if (url.protocol !== "http:" && url.protocol !== "https:") {
      const unix = url.protocol === "unix:" ? " (Unix sockets are not supported)" : "";
      problem(`"${value}" must start with http:// or https://${unix}`);
    } else if (url.port === "0") {
      problem(`"${value}": use a port from 1 to 65535`);
    } else if (url.username || url.password) {
      problem(`"${value}" must not contain a user name or password`);
    } else if (url.search || url.hash) {
      problem(`"${value}" must not contain a query string or fragment`);
    }
  })
  .transform((value) => {
    const url = new URL(value);
    if (url.protocol === "tcp:") return socketAddress(url);
    // Keep a path prefix if one was given, but never a lone trailing slash.
    return url.pathname === "/" ? url.origin : url.origin + url.pathname.replace(/\/$/, "");
  });

/** A stream's upstream: tcp://host:port or udp://host:port ("host:port" alone takes `scheme`). */
export function socketUpstreamUrlSchema(scheme: SocketScheme) {
  return z
    .string()
    .trim()
    .max(MAX_UPSTREAM_URL_LENGTH, `Use at most ${MAX_UPSTREAM_URL_LENGTH.toLocaleString("en")} characters for the address`)
    .regex(PLAIN_URL, PLAIN_URL_MESSAGE)
    .transform((value) => (value.includes("://") || value === "" ? value : `${scheme}://${value}`))
    .superRefine((value, ctx) => {
      const url = parseTyped(value, `${scheme}://10.0.0.5:5432`);
      const problem = (message: string) => ctx.addIssue({ code: "custom", message });
      if (typeof url === "string") return problem(url);
      if (url.protocol !== "tcp:" && url.protocol !== "udp:") return problem(`"${value}" must start with tcp:// or udp://`);
      const socket = socketAddressProblem(value, url);
      if (socket !== null) problem(socket);
    })
    .transform((value) => socketAddress(new URL(value)));
}

/** How many shares of the requests (or connections) an upstream gets under weighted load balancing. */
export const upstreamWeightSchema = z
  .number()
  .int("Use a whole number for the weight")
  .min(1, "Use a weight of at least 1")
  .max(100, "Use a weight of at most 100")
  .default(1);

export const upstreamInputSchema = z
  .object({
    url: upstreamUrlSchema,
    weight: upstreamWeightSchema,
  })
  .strict();

export type UpstreamInput = z.input<typeof upstreamInputSchema>;

export interface Upstream {
  id: string;
  url: string;
  weight: number;
}
