import { z } from "zod";

const MAX_URL_LENGTH = 4096;
const MAX_HEADERS = 50;
// zod's, not node:net's: the dashboard's browser code reads this schema's constants too.
const IP_ADDRESS = z.union([z.ipv4(), z.ipv6()]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The visitor "explain a request" pretends to be when none is given: an address from the internet
 * (TEST-NET-3, which no real visitor has), so access lists decide as for a stranger.
 */
export const STRANGER_ADDRESS = "203.0.113.1";

/** The status explain gives a request the proxy would drop without an answer (nginx's 444). */
export const NO_ANSWER = 444;

/** A request to explain, as if a visitor sent it: nothing is sent anywhere. */
export const explainRequestSchema = z
  .object({
    url: z
      .string()
      .trim()
      .max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters for the address`)
      .refine((value) => {
        try {
          const url = new URL(value);
          return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
        } catch {
          return false;
        }
      }, "Write the full address a visitor would open, like https://shop.example.com/cart"),
    method: z
      .string()
      .trim()
      .regex(TOKEN, "Write a method like GET or POST")
      .max(32)
      .transform((method) => method.toUpperCase())
      .default("GET"),
    headers: z
      .record(
        z.string().trim().regex(TOKEN, "Use a header name of letters, digits and dashes"),
        z
          .string()
          .max(8192)
          .regex(/^[^\r\n\0]*$/, "Remove the line breaks from the value"),
      )
      .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, `Send at most ${MAX_HEADERS} headers`)
      .default({}),
    clientIp: z
      .string()
      .trim()
      .refine((ip) => IP_ADDRESS.safeParse(ip).success, "Write an IPv4 or IPv6 address, like 203.0.113.7 or 2001:db8::7")
      .default(STRANGER_ADDRESS),
  })
  .strict();

export type ExplainRequest = z.output<typeof explainRequestSchema>;

/** What the proxy would do with the request, stage by stage, and its answer (API.md, "explain"). */
export interface Explanation {
  site: { id: string; name: string } | null;
  route: { id: string; pathPrefix: string } | null;
  /** The upstream that would get the request, and the target it would be sent. */
  upstreamUrl: string | null;
  upstreamPath: string | null;
  /** "benched": it failed lately and is tried only because no other upstream is available. */
  upstreamHealth: "available" | "benched" | null;
  /** Each protection of the site that applies, and what it would decide. */
  protections: { name: string; decision: string }[];
  /**
   * The proxy's own answer; status null when the upstream would answer (upstreamUrl says which),
   * 444 (as nginx writes it) when the proxy would close the connection without one.
   */
  answer: { status: number | null; location?: string };
}
