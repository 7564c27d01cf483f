import { describe, expect, it } from "vitest";
import { forwardedClient } from "./forwarded-client";
import { IpRanges } from "./ip-ranges";

const cdn = new IpRanges(["198.51.100.0/24", "2001:db8:cd::/48"]);
const nobody = new IpRanges([]);

describe("forwardedClient", () => {
  it("ignores X-Forwarded-For and X-Forwarded-Proto from a peer that is not trusted", () => {
    expect(forwardedClient("203.0.113.9", "1.2.3.4", "https", cdn)).toEqual({ ip: "203.0.113.9", scheme: null });
    expect(forwardedClient("203.0.113.9", "1.2.3.4", "https", nobody)).toEqual({ ip: "203.0.113.9", scheme: null });
  });

  it("takes the client a trusted proxy names", () => {
    expect(forwardedClient("198.51.100.7", "203.0.113.9", "https", cdn)).toEqual({ ip: "203.0.113.9", scheme: "https" });
  });

  it("does not believe what the client wrote to the left of the trusted hops", () => {
    // The client sent "X-Forwarded-For: 10.0.0.1"; the CDN appended the address it saw.
    expect(forwardedClient("198.51.100.7", "10.0.0.1, 203.0.113.9", undefined, cdn).ip).toBe("203.0.113.9");
  });

  it("walks through a chain of trusted proxies", () => {
    expect(forwardedClient("198.51.100.7", "203.0.113.9, 198.51.100.20, 2001:db8:cd::5", "http", cdn)).toEqual({
      ip: "203.0.113.9",
      scheme: "http",
    });
  });

  it("accepts hops with ports, brackets and the IPv4-mapped form, and headers sent twice", () => {
    expect(forwardedClient("198.51.100.7", "203.0.113.9:5123", undefined, cdn).ip).toBe("203.0.113.9");
    expect(forwardedClient("198.51.100.7", "[2001:db8::77]:443", undefined, cdn).ip).toBe("2001:db8::77");
    expect(forwardedClient("198.51.100.7", "::ffff:203.0.113.9", undefined, cdn).ip).toBe("203.0.113.9");
    expect(forwardedClient("198.51.100.7", ["10.9.9.9", "203.0.113.9"], undefined, cdn).ip).toBe("203.0.113.9");
  });

  it("stops at a hop that is not an address, keeping the last one a trusted proxy vouched for", () => {
    expect(forwardedClient("198.51.100.7", "203.0.113.9, unknown", undefined, cdn).ip).toBe("198.51.100.7");
    expect(forwardedClient("198.51.100.7", "garbage, 198.51.100.8", undefined, cdn).ip).toBe("198.51.100.8");
  });

  it("keeps the peer when a trusted proxy sends no X-Forwarded-For", () => {
    expect(forwardedClient("198.51.100.7", undefined, undefined, cdn)).toEqual({ ip: "198.51.100.7", scheme: null });
    expect(forwardedClient("198.51.100.7", "", "ftp", cdn)).toEqual({ ip: "198.51.100.7", scheme: null });
  });

  it("reads the nearest proxy's X-Forwarded-Proto", () => {
    expect(forwardedClient("198.51.100.7", "203.0.113.9", "http, https", cdn).scheme).toBe("https");
    expect(forwardedClient("198.51.100.7", "203.0.113.9", "HTTPS", cdn).scheme).toBe("https");
  });
});
