import { isIP } from "node:net";
import { z } from "zod";

/** An address or a CIDR range, split into what net.BlockList takes. */
export interface ParsedIpRange {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** "10.0.0.0/8", "2001:db8::/32", "192.0.2.7" (a single address is a /32 or /128), or null. */
export function parseIpRange(text: string): ParsedIpRange | null {
  const [address = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const bits = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: bits, family: version === 4 ? "ipv4" : "ipv6" };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > bits) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** One IP address or CIDR range, IPv4 or IPv6, as typed by a person (spaces trimmed). */
export const ipRangeSchema = z
  .string()
  .trim()
  .refine((value) => parseIpRange(value) !== null, {
    error: (issue) => `“${String(issue.input)}” is not an IP address or a range like 10.0.0.0/8 or 2001:db8::/32`,
  });

/** A list of them, at most 1000 entries (a CDN publishes a few dozen). */
export const ipRangeListSchema = z.array(ipRangeSchema).max(1000, "At most 1000 addresses or ranges");

/** Text with one entry per line or separated by commas or spaces (a textarea) -> the entries. */
export function splitIpRangeText(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}
