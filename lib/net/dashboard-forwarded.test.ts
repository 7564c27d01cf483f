import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { rewriteForwardedHeaders } from "./dashboard-forwarded";
import { IpRanges } from "./ip-ranges";

function requestFrom(peer: string, headers: Record<string, string>): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: { ...headers } } as unknown as IncomingMessage;
}

const trusted = new IpRanges(["127.0.0.0/8", "198.51.100.0/24"]);

describe("rewriteForwardedHeaders", () => {
  it("replaces what a direct client claims with its own address, and drops its scheme claim", () => {
    const req = requestFrom("203.0.113.9", { "x-forwarded-for": "10.0.0.1", "x-forwarded-proto": "https", "x-real-ip": "10.0.0.2" });
    rewriteForwardedHeaders(req, trusted);
    expect(req.headers).toEqual({ "x-forwarded-for": "203.0.113.9" });
  });

  it("keeps the client and scheme a trusted proxy names", () => {
    const req = requestFrom("::ffff:198.51.100.4", { "x-forwarded-for": "10.9.9.9, 203.0.113.9", "x-forwarded-proto": "https" });
    rewriteForwardedHeaders(req, trusted);
    expect(req.headers).toEqual({ "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https" });
  });

  it("uses the peer when a trusted proxy names nobody", () => {
    const req = requestFrom("127.0.0.1", {});
    rewriteForwardedHeaders(req, trusted);
    expect(req.headers).toEqual({ "x-forwarded-for": "127.0.0.1" });
  });
});
