import { z } from "zod";

export const MAX_UPSTREAM_URL_LENGTH = 2048;
const MAX_PORT = 65_535;
/** The digits after the host ("[::1]" or a name) in scheme://host:port/... */
const PORT_IN_AUTHORITY = /^[a-z][a-z\d+.-]*:\/\/(?:\[[^\]/]*\]|[^/?#:[\]]*):(\d+)(?=[/?#]|$)/i;

/** An upstream server as a user types it: http(s)://host[:port][/path]. */
export const upstreamUrlSchema = z
  .string()
  .trim()
  .max(MAX_UPSTREAM_URL_LENGTH, `Use at most ${MAX_UPSTREAM_URL_LENGTH.toLocaleString("en")} characters for the URL`)
  // The URL parser drops tabs and line breaks silently ("/\r\nX-Inj: 1" becomes "/X-Inj:%201"):
  // refuse them, and spaces, rather than store something other than what was typed.
  .regex(/^[^\s\p{Cc}]*$/u, "Remove the spaces, line breaks or control characters from the URL")
  // "10.0.0.5:8080" is what people type; plain http is what they mean. "unix:/run/app.sock" is a
  // scheme without slashes, not a host called "unix".
  .transform((value) => (value.includes("://") || value === "" || /^[a-z][a-z\d+.-]*:(?!\d)/i.test(value) ? value : `http://${value}`))
  .superRefine((value, ctx) => {
    const badPort = () => ctx.addIssue({ code: "custom", message: `"${value}": use a port from 1 to 65535` });
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      // The parser refuses a port over 65535 like any other broken URL: say which part is wrong.
      if (Number(PORT_IN_AUTHORITY.exec(value)?.[1]) > MAX_PORT) badPort();
      else ctx.addIssue({ code: "custom", message: `"${value}" is not a URL: write it like http://10.0.0.5:8080` });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      const unix = url.protocol === "unix:" ? " (Unix sockets are not supported)" : "";
      ctx.addIssue({ code: "custom", message: `"${value}" must start with http:// or https://${unix}` });
    } else if (url.port === "0") {
      badPort();
    } else if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: `"${value}" must not contain a user name or password` });
    } else if (url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: `"${value}" must not contain a query string or fragment` });
    }
  })
  .transform((value) => {
    const url = new URL(value);
    // Keep a path prefix if one was given, but never a lone trailing slash.
    return url.pathname === "/" ? url.origin : url.origin + url.pathname.replace(/\/$/, "");
  });

export const upstreamInputSchema = z
  .object({
    url: upstreamUrlSchema,
    weight: z
      .number()
      .int("Use a whole number for the weight")
      .min(1, "Use a weight of at least 1")
      .max(100, "Use a weight of at most 100")
      .default(1),
  })
  .strict();

export type UpstreamInput = z.input<typeof upstreamInputSchema>;

export interface Upstream {
  id: string;
  url: string;
  weight: number;
}
